/**
 * What `udpchat chaos --trace` says about the chat lines passing through it, counted from its stderr, so
 * a test can tell when nothing is in flight any more: every copy the proxy scheduled has been sent, and
 * every line it sent to the relay has come back from the relay for the other client (and been decided
 * on). Chat lines are told apart from join, ping and other datagrams by the pattern given.
 *
 * The trace has one line per datagram a socket sends or receives (`in  127.0.0.1:PORT 7B "a-0001\n"`) and,
 * right after a received one, one line with the fault decision (`fault up ... 7B 21ms 75ms(held)`, or
 * `... drop`): see chaos/chaos-proxy.ts and protocol/trace-format.ts.
 */
const DATAGRAM = /^(in|out) +(\S+) \d+B "(.*)"$/;
const DECISION = /^fault (up|down) \S+ \d+B (.*)$/;

export interface LedgerPatterns {
  /** A chat line as a client sends it, as the trace escapes it (e.g. /^a-\d{4}\\n$/). */
  readonly sent: RegExp;
  /** The same line as the relay relays it. */
  readonly relayed: RegExp;
}

export class ChaosLedger {
  /** Copies of chat lines the proxy scheduled towards the relay, and sent. */
  private upScheduled = 0;
  private upSent = 0;
  /** Relayed chat lines the proxy received from the relay, scheduled towards clients, and sent. */
  private downReceived = 0;
  private downScheduled = 0;
  private downSent = 0;
  /** The last datagram received was a chat line (up or down): the next decision is about it. */
  private pending: 'up' | 'down' | null = null;

  constructor(
    /** `host:port` of the relay, as the trace writes it. */
    private readonly relay: string,
    private readonly patterns: LedgerPatterns,
  ) {}

  /** Sent towards clients: what they will print, once it arrives. */
  get delivered(): number {
    return this.downSent;
  }

  /** Nothing scheduled is unsent and every line sent to the relay came back from it. */
  get settled(): boolean {
    return (
      this.upScheduled === this.upSent &&
      this.upSent === this.downReceived &&
      this.downScheduled === this.downSent
    );
  }

  read(line: string): void {
    const decision = DECISION.exec(line);
    if (decision !== null) {
      this.decided(decision[1], decision[2] ?? '');
      return;
    }
    const datagram = DATAGRAM.exec(line);
    if (datagram === null) return;
    const [, direction, peer, text = ''] = datagram;
    // The proxy's mapping sockets talk to the relay, its listening socket to the clients.
    const relaySide = peer === this.relay;
    const towardsClients = (direction === 'in') === relaySide;
    const chat = (towardsClients ? this.patterns.relayed : this.patterns.sent).test(text);
    if (direction === 'in') this.pending = chat ? (relaySide ? 'down' : 'up') : null;
    if (!chat) return;
    if (direction === 'in' && relaySide) this.downReceived++;
    if (direction === 'out' && relaySide) this.upSent++;
    if (direction === 'out' && !relaySide) this.downSent++;
  }

  describe(): string {
    return (
      `up scheduled ${this.upScheduled} sent ${this.upSent}; ` +
      `down received ${this.downReceived} scheduled ${this.downScheduled} sent ${this.downSent}`
    );
  }

  private decided(direction: string | undefined, outcome: string): void {
    if (this.pending === null || this.pending !== direction) return;
    this.pending = null;
    const copies = outcome === 'drop' ? 0 : outcome.split(' ').length;
    if (direction === 'up') this.upScheduled += copies;
    else this.downScheduled += copies;
  }
}
