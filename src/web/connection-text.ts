/**
 * The connection in words, for the line at the top of the page: what the link is doing (connecting,
 * waiting to try again), then what the session is doing (joining, joined with its round trip,
 * reconnecting). Honest: "connected" only once the relay has welcomed us on the current connection.
 */
import type { ClientState, ConnectionStatus } from '../client/events.ts';
import type { ConnectionLine } from './chat-view.ts';
import type { LinkState } from './ws-link.ts';

export interface ConnectionFacts {
  readonly link: LinkState;
  /** Until the link's next attempt, while it waits. */
  readonly retryInMs: number | null;
  readonly session: ConnectionStatus;
  readonly nick: string;
}

export function connectionLine(facts: ConnectionFacts): ConnectionLine {
  if (facts.link === 'connecting') return { text: 'connecting to the relay…', tone: 'busy' };
  if (facts.link === 'waiting') {
    const seconds = Math.ceil((facts.retryInMs ?? 0) / 1000);
    return { text: `disconnected: trying again in ${seconds} s`, tone: 'bad' };
  }
  return sessionLine(facts.session.state, facts.session, facts.nick);
}

function sessionLine(state: ClientState, status: ConnectionStatus, nick: string): ConnectionLine {
  switch (state) {
    case 'joined': {
      const rtt = status.rttMs === null ? '' : ` · ${Math.round(status.rttMs)} ms`;
      if (status.overdue) return { text: `connected as ${nick} · no answer for a while`, tone: 'busy' };
      return { text: `connected as ${nick}${rtt}`, tone: 'good' };
    }
    case 'new':
    case 'joining':
      return { text: `joining as ${nick}…`, tone: 'busy' };
    case 'reconnecting': {
      const wait =
        status.nextAttemptInMs === null ? '' : `, next try in ${Math.ceil(status.nextAttemptInMs / 1000)} s`;
      return { text: `reconnecting (attempt ${status.attempt}${wait})`, tone: 'busy' };
    }
    case 'unanswered':
      return { text: 'the relay does not answer', tone: 'bad' };
    case 'refused':
      return { text: 'the relay refused the nick', tone: 'bad' };
    case 'left':
      return { text: 'left the relay', tone: 'bad' };
  }
}
