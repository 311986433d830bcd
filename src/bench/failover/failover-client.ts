/**
 * One client of a failover round: a v2 ChatClient on the relay about to be killed, with the other relays
 * as its failover list (as `udpchat chat --relay A,B,...` gives it), and what the bench needs to judge the
 * move: when it moved and whether it resumed, and the lines it said with the ids the relay acknowledged.
 */
import { HELD_ID_BASE } from '../../client/failover.ts';
import { ChatClient } from '../../client-host/chat-client.ts';
import { INTERACTIVE_IDLE_PROBE_MS } from '../../session/liveness.ts';
import type { RelayUnderTest } from '../relay-process.ts';
import type { StateSignal } from './state-signal.ts';

/** Relay notices kept from a move that has not resumed (enough for a refusal and its reason). */
const NOTICES_KEPT = 4;

export type ClientRole = 'active' | 'idle';

export interface SaidLine {
  readonly text: string;
  /**
   * The id say() gave the line: the relay's for one sent at once, or from HELD_ID_BASE up for one held
   * during a move or queued behind its carried-over lines; undefined when nothing will acknowledge it.
   */
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
  /** The ids acknowledged before the move began: by the relay the lines were first said to. */
  private readonly ackedBeforeMove = new Set<number>();
  move: MoveOutcome | undefined;
  /** Every relay of the list was tried and none took the client. */
  moveFailed = false;
  /** A move began (`moving`): the client noticed the dead relay, whether or not it resumed. */
  moveBegan = false;
  /** The relay's refusal of the session (a `/join` refused), for the report: the line as it came. */
  refusal: string | undefined;
  /** The first relay notices after the move began (a refused `/resume` says why), for the report. */
  readonly noticesWhileMoving: string[] = [];
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
      if (!member.moveBegan) member.ackedBeforeMove.add(e.id);
      signal.poke();
    });
    client.on('moved', (e) => {
      member.move ??= { at: performance.now(), resumed: e.resumed, refused: e.refused };
      signal.poke();
    });
    const noted = (line: string): void => {
      if (member.moveBegan && member.move === undefined && member.noticesWhileMoving.length < NOTICES_KEPT)
        member.noticesWhileMoving.push(line);
    };
    client.on('notice', (e) => noted(e.line));
    client.on('line', (e) => noted(e.line));
    client.on('refused', (e) => {
      member.refusal = e.line;
      signal.poke();
    });
    client.on('moving', () => {
      member.moveBegan = true;
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

  /**
   * The lines the relay they were first said to acknowledged (the one killed, before the move; the new one,
   * for a line said there at once): each must reach the cluster's other members exactly once. Ids never
   * repeat across a move (each carrier numbers in its own epoch, held lines above them all), so an
   * acknowledgement from the new relay cannot be taken for one of the old relay's.
   */
  acknowledged(): string[] {
    return this.said.filter((s) => this.acknowledgedLine(s)).map((s) => s.text);
  }

  /**
   * The lines carried over the move: held while moving or queued behind the lines being said again, or
   * said to the relay killed and never acknowledged there, so the client says them again on the new relay.
   * The new relay acknowledges them under the id say() gave them, but they are judged by what the others
   * were shown: at least once (a relay that died may have relayed a line before acknowledging it).
   */
  carriedOver(): string[] {
    return this.said.filter((s) => !this.acknowledgedLine(s)).map((s) => s.text);
  }

  /**
   * The relay has acknowledged the client's own `/join` and its first `/ticket` (acknowledgements of no
   * line it said): the relay answers `/ticket` as it reads it, so the ticket is on its way. Without one a
   * move cannot resume, so the bench kills only after this.
   */
  get ticketAsked(): boolean {
    const lineIds = new Set(this.said.flatMap((s) => (s.id === undefined ? [] : [s.id])));
    let others = 0;
    for (const id of this.acked) if (!lineIds.has(id)) others++;
    return others >= 2;
  }

  /** Every line said after the move with an id was acknowledged there (queued ones included). */
  newRelayCaughtUp(): boolean {
    return this.said.every((s) => !s.afterMove || s.id === undefined || this.acked.has(s.id));
  }

  private acknowledgedLine(line: SaidLine): boolean {
    if (line.id === undefined || line.id >= HELD_ID_BASE) return false;
    return line.afterMove ? this.acked.has(line.id) : this.ackedBeforeMove.has(line.id);
  }

  async stop(): Promise<void> {
    if (this.joined) await this.client.leave().catch(() => undefined);
    await this.client.close();
  }
}
