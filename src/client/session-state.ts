/**
 * The state and deadlines of a ClientSession, with the questions every part of it asks about them. Kept
 * apart so session.ts reads as the protocol's steps rather than bookkeeping.
 */
import type { ClientState, ConnectionStatus } from './events.ts';

/** What the status needs from the rest of the session. */
export interface StatusInputs {
  readonly rttMs: number | null;
  /** A ping has waited past its answer timeout with nothing heard. */
  readonly pingOverdue: boolean;
  readonly reconnectAttempt: number;
  readonly silenceWarningMs: number;
}

export class SessionState {
  state: ClientState = 'new';
  /** When the relay last sent anything (or when we started, before it has). */
  lastHeardAt = 0;
  /** A `silent` event went out and nothing has been heard since. */
  warnedSilent = false;
  /** When the latest /join went out, and when the next one is due (joining or reconnecting). */
  lastJoinAt = 0;
  nextJoinAt = 0;
  /** /join datagrams sent in this round of joining. */
  joinsSent = 0;

  /** The relay may know us, or is about to: lines can be sent and /leave means something. */
  isActive(): boolean {
    return (
      this.state === 'joining' ||
      this.state === 'joined' ||
      this.state === 'unanswered' ||
      this.state === 'reconnecting'
    );
  }

  /** A /join is out and its answer (welcome or refusal) is still to come. */
  awaitsWelcome(): boolean {
    return this.state === 'joining' || this.state === 'unanswered' || this.state === 'reconnecting';
  }

  watchesSilence(): boolean {
    return this.isActive() && !this.warnedSilent;
  }

  heardAt(now: number): void {
    this.lastHeardAt = now;
  }

  silentSeconds(now: number): number {
    return Math.floor((now - this.lastHeardAt) / 1000);
  }

  /** The connection at `now`, for a status display. */
  status(now: number, inputs: StatusInputs): ConnectionStatus {
    const state = this.state;
    const silentMs = Math.max(0, now - this.lastHeardAt);
    const reconnecting = state === 'reconnecting';
    return {
      state,
      rttMs: inputs.rttMs,
      silentMs,
      overdue:
        reconnecting || (state === 'joined' && inputs.pingOverdue) || silentMs >= inputs.silenceWarningMs,
      attempt: reconnecting ? inputs.reconnectAttempt : this.joinsSent,
      nextAttemptInMs: reconnecting ? Math.max(0, this.nextJoinAt - now) : null,
    };
  }
}
