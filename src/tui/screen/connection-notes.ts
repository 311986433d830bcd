/**
 * What the client says about the connection, in the buffer being read: the relay going quiet and coming
 * back, reconnecting and reconnected (with the rooms being rejoined), and the answer to /lag (with, over
 * v2, the channel's RTT, jitter, loss and retransmissions). The status bar
 * shows the state at every moment; these lines leave a record of what happened and when.
 */

import type { ReconnectingEvent } from '../../client/events.ts';
import type { ChatClientApi } from '../../client-host/chat-client-api.ts';
import { movedText, skippedText } from '../format.ts';
import { pathReport } from './lag-report.ts';
import type { ChatModel } from './model.ts';
import { formatRtt } from './status-bar.ts';

/** /lag gives up waiting for its /pong after this long. */
export const LAG_TIMEOUT_MS = 5_000;

export class ConnectionNotes {
  private warnedSilent = false;
  private lagTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: ChatClientApi,
    private readonly model: ChatModel,
    /** The relay we are on: it changes when the client moves to another relay of the cluster. */
    private relay: string,
    /** Called when a note was added outside of a key press, so the screen is redrawn. */
    private readonly changed: () => void,
  ) {}

  /** The relay the status bar names. */
  get currentRelay(): string {
    return this.relay;
  }

  listen(): void {
    this.listenForMoves();
    const { client } = this;
    client.on('silent', (e) => {
      // While reconnecting the status bar and the reconnecting note already say so.
      if (client.state === 'reconnecting') return;
      this.warnedSilent = true;
      this.model.note(`the relay at ${this.relay} has not answered for ${e.seconds} s`, 'error');
    });
    client.on('answering', (e) => {
      if (!this.warnedSilent) return;
      this.warnedSilent = false;
      this.model.note(
        `the relay at ${this.relay} is answering again (silent for ${e.silentSeconds} s)`,
        'good',
      );
    });
    client.on('rejoining', () =>
      this.model.note(`the relay at ${this.relay} no longer knows us (restarted?); joining again`),
    );
    client.on('reconnecting', (e) => this.model.note(reconnectingText(e, this.relay), 'error'));
    client.on('reconnected', (e) => {
      const rooms = e.rooms.length === 0 ? '' : `; rejoining ${e.rooms.join(', ')}`;
      this.model.note(`reconnected to ${this.relay} as ${e.nick}${rooms}`, 'good');
    });
    client.on('rtt', (e) => this.lagAnswered(e.ms));
  }

  /** Failover (`--relay A,B,...`): the move to another relay of the cluster, said as it happened. */
  private listenForMoves(): void {
    const { client } = this;
    client.on('moving', (e) => this.model.note(movingText(e.from, e.to), 'error'));
    client.on('moved', (e) => {
      this.relay = e.to;
      this.model.note(movedText(e, client.nick), e.resumed ? 'good' : 'info');
    });
    client.on('relay-skipped', (e) => this.model.note(skippedText(e), 'error'));
    client.on('move-failed', (e) =>
      this.model.note(`no relay of the ${e.tried} given took us; still trying ${this.relay}`, 'error'),
    );
  }

  /** `/lag`: a /ping now; the next round-trip sample (or the time-out) is reported. */
  lag(): void {
    const sent = this.client.ping();
    if (!sent.ok) {
      this.model.note(`cannot measure the lag: ${sent.error.message}`, 'error');
      return;
    }
    clearTimeout(this.lagTimer);
    this.lagTimer = setTimeout(() => {
      this.lagTimer = undefined;
      this.model.note(`no answer to /ping within ${LAG_TIMEOUT_MS / 1000} s`, 'error');
      this.changed();
    }, LAG_TIMEOUT_MS);
  }

  stop(): void {
    clearTimeout(this.lagTimer);
  }

  private lagAnswered(ms: number): void {
    if (this.lagTimer === undefined) return;
    clearTimeout(this.lagTimer);
    this.lagTimer = undefined;
    this.model.note(`lag to ${this.relay}: ${formatRtt(ms)}`);
    const path = this.client.pathStats();
    if (path !== null) this.model.note(pathReport(path));
  }
}

function reconnectingText(event: ReconnectingEvent, relay: string): string {
  switch (event.reason) {
    case 'server-going-down':
      return `the relay at ${relay} is going down; reconnecting when it is back`;
    case 'unanswered':
      return `no relay answering at ${relay}; still trying`;
    default:
      return `no answer from ${relay} for ${event.silentSeconds} s; reconnecting`;
  }
}

function movingText(from: string, to: string): string {
  return `relay ${from} lost — moving to ${to}`;
}
