/**
 * A minimal v1 relay written from the seed's description of relay.py, independent of src/ (it imports no
 * protocol code), so the client is checked against the seed's behaviour rather than against our own relay:
 *
 * - a datagram that is not UTF-8 is ignored; trailing `\n` are stripped; an empty line is ignored;
 * - `/join <nick>`: nick = the rest, whitespace-trimmed, first 32 characters, or "anon"; the sender is
 *   (re)registered, the others get `*** <nick> joined ***`, the sender `*** welcome, <nick> ***`;
 * - from an unregistered address anything else gets `*** please /join <nickname> first ***`;
 * - `/ping` gets `/pong`; `/leave` unregisters and tells the rest `*** <nick> left ***`;
 * - any other line goes to every other registered client as `<nick> line`.
 *
 * No idle reaper: tests are shorter than its 30 s. For the tests it records every line it receives, can
 * inject raw datagrams, and can be told to refuse nicks (our extension, to test the client's refusal path).
 */
import dgram from 'node:dgram';
import { Collector } from './collector.ts';

export interface Peer {
  readonly host: string;
  readonly port: number;
}

export interface Received {
  readonly from: Peer;
  readonly line: string;
}

export interface ReferenceRelayOptions {
  /** Returns the line to answer a /join with instead of registering, or null to accept. */
  readonly refuse?: (nick: string) => string | null;
}

const SEED_NICK_CHARS = 32;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function key(peer: Peer): string {
  return `${peer.host}|${peer.port}`;
}

export class ReferenceRelay {
  /** Every non-empty line received, in order, with its sender. */
  readonly received = new Collector<Received>('reference relay received');
  private readonly nicks = new Map<string, { peer: Peer; nick: string }>();
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly port: number,
    private readonly options: ReferenceRelayOptions,
  ) {
    socket.on('message', (bytes, rinfo) => this.onDatagram(bytes, { host: rinfo.address, port: rinfo.port }));
    // The seed wraps sendto in try/except: a client's dead socket is not the relay's problem.
    socket.on('error', () => {});
  }

  static async start(options: ReferenceRelayOptions = {}): Promise<ReferenceRelay> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new ReferenceRelay(socket, socket.address().port, options);
  }

  /** The registered client with this nick, to inject datagrams at it. */
  peerOf(nick: string): Peer | undefined {
    return [...this.nicks.values()].find((entry) => entry.nick === nick)?.peer;
  }

  /** Sends raw bytes (or a line, `\n` added) to one peer, bypassing every rule: a hostile or odd relay. */
  inject(to: Peer, payload: string | Uint8Array): void {
    this.send(to, typeof payload === 'string' ? `${payload}\n` : payload);
  }

  /** Resolves with the first line received (from anyone, or from `from` only) that equals `line`. */
  waitForLine(line: string, from?: Peer, timeoutMs?: number): Promise<Received> {
    const what = from === undefined ? JSON.stringify(line) : `${JSON.stringify(line)} from ${key(from)}`;
    return this.received.waitFor(
      (r) => r.line === line && (from === undefined || key(r.from) === key(from)),
      timeoutMs === undefined ? { what } : { what, timeoutMs },
    );
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.received.end('relay stopped');
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private onDatagram(bytes: Buffer, from: Peer): void {
    let text: string;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      return;
    }
    const line = text.replace(/\n+$/, '');
    if (line.length === 0) return;
    this.received.push({ from, line });
    this.respond(line, from);
  }

  private respond(line: string, from: Peer): void {
    if (line.startsWith('/join ')) {
      this.join(line.slice('/join '.length), from);
      return;
    }
    const client = this.nicks.get(key(from));
    if (client === undefined) this.send(from, '*** please /join <nickname> first ***\n');
    else if (line === '/ping') this.send(from, '/pong\n');
    else if (line === '/leave') {
      this.nicks.delete(key(from));
      this.broadcast(`*** ${client.nick} left ***`);
    } else this.broadcast(`<${client.nick}> ${line}`, from);
  }

  private join(rest: string, from: Peer): void {
    const nick = Array.from(rest.trim()).slice(0, SEED_NICK_CHARS).join('') || 'anon';
    const refusal = this.options.refuse?.(nick) ?? null;
    if (refusal !== null) {
      this.send(from, `${refusal}\n`);
      return;
    }
    this.nicks.set(key(from), { peer: from, nick });
    this.broadcast(`*** ${nick} joined ***`, from);
    this.send(from, `*** welcome, ${nick} ***\n`);
  }

  private broadcast(line: string, except?: Peer): void {
    for (const { peer } of this.nicks.values()) {
      if (except === undefined || key(peer) !== key(except)) this.send(peer, `${line}\n`);
    }
  }

  private send(to: Peer, payload: string | Uint8Array): void {
    if (this.closed) return;
    this.socket.send(typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload, to.port, to.host);
  }
}
