/** Sees every unit of bytes a transport moves, in either direction (`--trace`). */
import type { Address } from '../protocol/address.ts';
import type { TraceDirection } from '../protocol/trace-format.ts';

export type TraceSink = (direction: TraceDirection, peer: Address, bytes: Uint8Array) => void;
