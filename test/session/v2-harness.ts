/**
 * An in-memory network between one V2RelayEndpoint and V2ClientConnections, with a fake clock and
 * deterministic randomness: the sans-I/O v2 cores exercised without a socket.
 */
import type { Address } from '../../src/protocol/address.ts';
import { addressKey } from '../../src/protocol/address.ts';
import type { RandomSource } from '../../src/protocol/v2/crypto.ts';
import {
  V2ClientConnection,
  type V2ClientEvent,
  type V2ClientOptions,
  type V2ClientOutput,
} from '../../src/session/client-connection.ts';
import { V2RelayEndpoint, type V2RelayOptions, type V2RelaySink } from '../../src/session/relay-endpoint.ts';
import type { RelaySession } from '../../src/session/relay-session.ts';
import type { ProtectedNote } from '../../src/session/session-link.ts';

export const RELAY: Address = { host: '127.0.0.1', port: 9999 };

/** A counter-based byte source: deterministic and never repeating within a test. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return (bytes) => {
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) {
      state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
      out[i] = state & 0xff;
    }
    return out;
  };
}

export interface Wire {
  readonly from: Address;
  readonly to: Address;
  readonly bytes: Uint8Array;
}

export class V2Net {
  now = 0;
  readonly relay: V2RelayEndpoint;
  /** Every datagram sent, in order, for assertions about sizes and destinations. */
  readonly log: Wire[] = [];
  readonly relayLines: { session: RelaySession; line: string }[] = [];
  readonly ended: RelaySession[] = [];
  /** Why each session in `ended` ended, as the relay core was told. */
  readonly endReasons: ('left' | 'timed out')[] = [];
  private readonly clients = new Map<string, { client: V2ClientConnection; events: V2ClientEvent[] }>();
  /** What each datagram the relay sealed carried, as the relay knew it (the wire shows only ciphertext). */
  readonly sealedByRelay = new Map<Uint8Array, ProtectedNote>();
  /** Datagrams dropped on purpose by a test (loss). */
  drop: (wire: Wire) => boolean = () => false;
  /** What the "relay core" does with lines: echo them back by default. */
  onLines: (session: RelaySession, lines: readonly string[]) => void = (session, lines) => {
    for (const line of lines) this.relay.sendLine(session, `echo ${line}`);
  };

  constructor(seed = 1, options: Partial<V2RelayOptions> = {}) {
    this.relay = new V2RelayEndpoint({
      random: seededRandom(seed),
      maxSessions: 100,
      maxPerHost: 10,
      idleTimeoutMs: 30_000,
      observer: (note) => {
        if (note.direction === 'sealed') this.sealedByRelay.set(note.datagram, note);
      },
      ...options,
    });
  }

  readonly sink: V2RelaySink = {
    datagram: (to, bytes) => this.deliverToClient({ from: RELAY, to, bytes }),
    lines: (session, lines) => {
      for (const line of lines) this.relayLines.push({ session, line });
      this.onLines(session, lines);
    },
    heard: () => {},
    ended: (session, reason) => {
      this.ended.push(session);
      this.endReasons.push(reason);
    },
  };

  addClient(
    at: Address,
    seed: number,
    options: Partial<V2ClientOptions> = {},
  ): { client: V2ClientConnection; events: V2ClientEvent[] } {
    const entry = {
      client: new V2ClientConnection({ random: seededRandom(seed), ...options }),
      events: [] as V2ClientEvent[],
    };
    this.clients.set(addressKey(at), entry);
    this.fromClient(at, entry.client.start(this.now));
    return entry;
  }

  /**
   * The relay's session for the client at `at`, found the way the relay core meets it: the client says a
   * line (`hi`), which the core sees arrive from that session. The echo, if any, is left unsent.
   */
  sessionOf(at: Address, client: V2ClientConnection): RelaySession {
    const before = this.relayLines.length;
    this.fromClient(at, client.send(this.now, 'hi').out);
    const session = this.relayLines[before]?.session;
    if (session === undefined) throw new Error('the relay did not see the line');
    return session;
  }

  /** The LINE texts of a DATA the relay sealed (read from the relay's own note of it). */
  relayLineTexts(wire: Wire): string[] {
    const frames = this.sealedByRelay.get(wire.bytes)?.frames ?? [];
    return frames.flatMap((f) => (f.type === 'line' ? [f.text] : []));
  }

  /** Moves a client to a new address (its NAT rebound). */
  move(from: Address, to: Address): void {
    const entry = this.clients.get(addressKey(from));
    if (entry === undefined) throw new Error('no client there');
    this.clients.delete(addressKey(from));
    this.clients.set(addressKey(to), entry);
  }

  fromClient(at: Address, output: V2ClientOutput): void {
    const entry = this.clients.get(addressKey(at));
    entry?.events.push(...output.events);
    for (const bytes of output.datagrams) this.deliverToRelay({ from: at, to: RELAY, bytes });
  }

  /** A datagram "from" anywhere (a forgery or a replay) straight into the relay. */
  inject(from: Address, bytes: Uint8Array): void {
    this.deliverToRelay({ from, to: RELAY, bytes });
  }

  /** Runs timers until `until`, in steps of `step` ms. */
  advance(ms: number, step = 5): void {
    const end = this.now + ms;
    while (this.now < end) {
      this.now = Math.min(end, this.now + step);
      this.relay.tick(this.now, this.sink);
      for (const [key, entry] of this.clients) this.fromClient(parse(key), entry.client.tick(this.now));
    }
  }

  private deliverToRelay(wire: Wire): void {
    this.log.push(wire);
    if (this.drop(wire)) return;
    this.relay.handle(this.now, wire.from, wire.bytes, this.sink);
    this.relay.flush(this.now, this.sink);
  }

  private deliverToClient(wire: Wire): void {
    this.log.push(wire);
    if (this.drop(wire)) return;
    const entry = this.clients.get(addressKey(wire.to));
    if (entry === undefined) return;
    this.fromClient(wire.to, entry.client.handle(this.now, wire.bytes));
  }
}

function parse(key: string): Address {
  const colon = key.lastIndexOf(':');
  return { host: key.slice(0, colon), port: Number(key.slice(colon + 1)) };
}
