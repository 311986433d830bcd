/**
 * A v2 client as the relay keeps it: its link (keys, numbers, channel), its validated path, and a new path
 * being validated after a NAT rebinding (docs/PROTOCOL-v2.md, "Sessions and NAT rebinding"). It is the
 * relay core's peer: an Address (the validated path) whose identity is its session.
 */
import type { Address } from '../protocol/address.ts';
import type { SessionPeer } from '../relay/peer.ts';
import type { HeapSlot } from './relay-endpoint/timer-heap.ts';
import type { SessionLink } from './session-link.ts';

/** A new address that sent authenticated DATA and must answer a CHALLENGE before it is used. */
export interface CandidatePath {
  readonly address: Address;
  readonly challenge: Uint8Array;
  /** Bytes received from the new address, and sent to it: the 3x anti-amplification budget. */
  bytesIn: number;
  bytesOut: number;
  challengedAt: number;
}

export class RelaySession implements SessionPeer, HeapSlot {
  readonly sessionKey: string;
  /** The host the session was counted under for the per-host cap (its path may move later). */
  readonly countedHost: string;
  readonly linesCarryIds = true;
  candidate: CandidatePath | null = null;
  lastHeard: number;
  /** Its place in the endpoint's timer heap (-1: none). */
  heapIndex = -1;

  constructor(
    readonly id: Uint8Array,
    readonly idHex: string,
    /** The HELLO's nonce: a re-sent HELLO (lost ACCEPT) gets the same ACCEPT again. */
    readonly nonceHex: string,
    readonly accept: Uint8Array,
    readonly link: SessionLink,
    private path: Address,
    now: number,
  ) {
    this.sessionKey = `v2:${idHex}`;
    this.countedHost = path.host;
    this.lastHeard = now;
  }

  get host(): string {
    return this.path.host;
  }

  get port(): number {
    return this.path.port;
  }

  get address(): Address {
    return this.path;
  }

  isAt(address: Address): boolean {
    return address.host === this.path.host && address.port === this.path.port;
  }

  /** The candidate passed its challenge: the session moves there. */
  migrate(to: Address): void {
    this.path = to;
    this.candidate = null;
  }
}
