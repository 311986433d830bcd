/**
 * One client of a failover round: a v2 ChatClient on the relay about to be killed, with the other relays
 * as its failover list (as `udpchat chat --relay A,B,...` gives it), and what the bench needs to judge the
 * move: when it moved and whether it resumed, and the lines it said with the ids the relay acknowledged.
 */
import { ChatClient } from '../../client-host/chat-client.ts';
import { INTERACTIVE_IDLE_PROBE_MS } from '../../session/liveness.ts';
import type { RelayUnderTest } from '../relay-process.ts';
import type { StateSignal } from './state-signal.ts';

export type ClientRole = 'active' | 'idle';

export interface SaidLine {
  readonly text: string;
  /** The line's id in the session it was said in; undefined when it was held during a move. */
  readonly id: number | undefined;
  /** Said after the client's move: the new relay must acknowledge it. */
  readonly afterMove: boolean;
}

export interface MoveOutcome {
  /** performance.now() of the `moved` event. */
  readonly at: number;
  readonly resumed: boolean;
  readonly refused: string | null;
}

export class FailoverClient {
  readonly said: SaidLine[] = [];
  readonly acked = new Set<number>();
  move: MoveOutcome | undefined;
  /** Every relay of the list was tried and none took the client. */
  moveFailed = false;
  private sequence = 0;

  private constructor(
    readonly client: ChatClient,
    readonly role: ClientRole,
  ) {}

  static async connect(
    nick: string,
    role: ClientRole,
    relay: RelayUnderTest,
    failover: readonly RelayUnderTest[],
    signal: StateSignal,
  ): Promise<FailoverClient> {
    const client = await ChatClient.connect({
      nick,
      host: relay.host,
      port: relay.port,
      failover: failover.map((r) => ({ host: r.host, port: r.port })),
      protocol: 'v2',
      // What the interactive chat uses: an idle client notices a dead relay from its probe.
      v2: { idleProbeMs: INTERACTIVE_IDLE_PROBE_MS },
    });
    const member = new FailoverClient(client, role);
    client.on('welcome', () => signal.poke());
    client.on('acked', (e) => {
      member.acked.add(e.id);
      signal.poke();
    });
    client.on('moved', (e) => {
      member.move ??= { at: performance.now(), resumed: e.resumed, refused: e.refused };
      signal.poke();
    });
    client.on('move-failed', () => {
      member.moveFailed = true;
      signal.poke();
    });
    return member;
  }

  get joined(): boolean {
    return this.client.state === 'joined';
  }

  /** The move is over, one way or the other. */
  get settled(): boolean {
    return this.move !== undefined || this.moveFailed;
  }

  /** Says the next numbered line (texts are unique in a run: nick and number). */
  sayNext(): void {
    this.sequence++;
    const text = `${this.client.nick} line ${this.sequence}`;
    const result = this.client.say(text);
    if (!result.ok) return;
    this.said.push({ text, id: result.id, afterMove: this.move !== undefined });
  }

  /** The lines the relays acknowledged: each must reach the cluster's other members exactly once. */
  acknowledged(): string[] {
    return this.said.filter((s) => s.id !== undefined && this.acked.has(s.id)).map((s) => s.text);
  }

  /** Every line said on the new relay was acknowledged there. */
  newRelayCaughtUp(): boolean {
    return this.said.every((s) => !s.afterMove || (s.id !== undefined && this.acked.has(s.id)));
  }

  async stop(): Promise<void> {
    if (this.joined) await this.client.leave().catch(() => undefined);
    await this.client.close();
  }
}
