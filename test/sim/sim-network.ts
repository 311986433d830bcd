/**
 * An in-memory datagram network on one SimClock. Hosts bind ports; a datagram from one to another is
 * lost, duplicated, reordered and delayed as the path's profile says, decided by one seeded mulberry32
 * (src/chaos/prng.ts, the chaos proxy's generator), so the same seed gives the same run. The profile of a
 * path is the one given to either end's host (a lossy client's datagrams suffer both ways), else clean.
 * Addresses are RFC 5737 documentation addresses: they name simulated hosts, never real ones.
 */
import { mulberry32 } from '../../src/chaos/prng.ts';
import { type Address, addressKey } from '../../src/protocol/address.ts';
import type { SimClock } from './sim-clock.ts';

/** How a path treats each datagram. Probabilities in [0, 1]; times in ms. */
export interface PathProfile {
  readonly loss: number;
  readonly duplicate: number;
  /** A reordered datagram is held back by an extra 1 to 3 delays, so later ones overtake it. */
  readonly reorder: number;
  readonly delayMs: number;
  /** Each copy's delay is delayMs ± up to jitterMs (never below 0). */
  readonly jitterMs: number;
}

export const CLEAN_PATH: PathProfile = { loss: 0, duplicate: 0, reorder: 0, delayMs: 5, jitterMs: 0 };

export type Receiver = (from: Address, bytes: Uint8Array) => void;

export interface NetworkCounts {
  sent: number;
  delivered: number;
  lost: number;
  duplicated: number;
  reordered: number;
  /** Sent to a port nobody holds (a socket that rebound away, or closed). */
  unbound: number;
}

export class SimNetwork {
  readonly counts: NetworkCounts = {
    sent: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    reordered: 0,
    unbound: 0,
  };
  /**
   * Sees every datagram as it is put on the wire; returning false drops it (a path gone dead in one
   * direction, a lost CLOSE). Tests also read the wire through it.
   */
  filter: ((from: Address, to: Address, bytes: Uint8Array) => boolean) | null = null;
  private readonly random: () => number;
  private readonly bound = new Map<string, Receiver>();
  private readonly profiles = new Map<string, PathProfile>();
  private readonly nextPort = new Map<string, number>();

  constructor(
    readonly time: SimClock,
    seed: number,
  ) {
    this.random = mulberry32(seed);
  }

  /** Every path to or from `host` follows `profile` from now on. */
  setProfile(host: string, profile: PathProfile): void {
    this.profiles.set(host, profile);
  }

  /** Holds `port` on `host` (0: the next free ephemeral port there) and returns the address. */
  bind(host: string, port: number, receiver: Receiver): Address {
    const chosen = port === 0 ? this.ephemeralPort(host) : port;
    const address = { host, port: chosen };
    const key = addressKey(address);
    if (this.bound.has(key)) throw new Error(`${key} is in use`);
    this.bound.set(key, receiver);
    return address;
  }

  isBound(address: Address): boolean {
    return this.bound.has(addressKey(address));
  }

  unbind(address: Address): void {
    this.bound.delete(addressKey(address));
  }

  /** Puts one datagram on the wire; whoever holds `to` when it arrives receives it. */
  send(from: Address, to: Address, bytes: Uint8Array): void {
    this.counts.sent++;
    if (this.filter !== null && !this.filter(from, to, bytes)) {
      this.counts.lost++;
      return;
    }
    const profile = this.profiles.get(to.host) ?? this.profiles.get(from.host) ?? CLEAN_PATH;
    if (this.random() < profile.loss) {
      this.counts.lost++;
      return;
    }
    const copies = this.random() < profile.duplicate ? 2 : 1;
    if (copies === 2) this.counts.duplicated++;
    const payload = bytes.slice(); // the sender may reuse its buffer; the wire holds its own copy
    for (let copy = 0; copy < copies; copy++) {
      let delay = profile.delayMs + (this.random() * 2 - 1) * profile.jitterMs;
      if (this.random() < profile.reorder) {
        this.counts.reordered++;
        delay += profile.delayMs * (1 + 2 * this.random());
      }
      this.time.after(Math.max(0, delay), () => this.deliver(from, to, payload));
    }
  }

  private deliver(from: Address, to: Address, bytes: Uint8Array): void {
    const receiver = this.bound.get(addressKey(to));
    if (receiver === undefined) {
      this.counts.unbound++;
      return;
    }
    this.counts.delivered++;
    receiver(from, bytes);
  }

  private ephemeralPort(host: string): number {
    // Linux's default ephemeral range starts at 32768; each host counts up on its own.
    const port = this.nextPort.get(host) ?? 32_768;
    this.nextPort.set(host, port + 1);
    return port;
  }
}
