/**
 * What the protected datagrams carry once opened (docs/PROTOCOL-v2.md, "DATA", "CLOSE", "CHALLENGE and
 * RESPONSE"): DATA's ack fields and frames (frame-codec.ts, unchanged from wire version 2), CLOSE's reason,
 * and the 8-byte challenge. Decoders never throw; they see only bytes that already authenticated, and
 * still check everything, since an authenticated peer can be a broken one.
 */
import { ByteReader, ByteWriter } from './bytes.ts';
import { prepareFrames, readFrames, writeFrames } from './frame-codec.ts';
import type { AckInfo, Frame } from './frames.ts';
import { CHALLENGE_BYTES } from './limits.ts';
import { ACK_FIELDS_BYTES, MAX_PROTECTED_PAYLOAD_BYTES } from './protected-limits.ts';
import { failure, type ProtectedFailure } from './protected-packets.ts';
import { requireBytes, requireUint } from './wire-common.ts';

export type DataBody =
  | {
      readonly ok: true;
      readonly ack: AckInfo;
      readonly frames: readonly Frame[];
      /** LINE frames among them: a relay drops a client's DATA with more than MAX_CLIENT_LINES_PER_DATA. */
      readonly lineCount: number;
    }
  | ProtectedFailure;

/** ack next (u32) ‖ ack bitmap (u32) ‖ frames. Throws RangeError if it would not fit in one datagram. */
export function encodeDataPayload(ack: AckInfo, frames: readonly Frame[]): Uint8Array {
  requireUint('ack next', ack.next, 32);
  requireUint('ack bitmap', ack.bitmap, 32);
  for (const frame of frames) if (frame.type !== 'ping') requireUint('frame seq', frame.seq, 32);
  const { encoded, size } = prepareFrames(frames);
  const total = ACK_FIELDS_BYTES + size;
  if (total > MAX_PROTECTED_PAYLOAD_BYTES) {
    throw new RangeError(`a DATA payload of ${total} bytes exceeds ${MAX_PROTECTED_PAYLOAD_BYTES}`);
  }
  const writer = new ByteWriter(total).u32(ack.next).u32(ack.bitmap);
  writeFrames(writer, encoded);
  return writer.bytes;
}

export function decodeDataPayload(payload: Uint8Array): DataBody {
  if (payload.byteLength < ACK_FIELDS_BYTES) return failure('short');
  if (payload.byteLength > MAX_PROTECTED_PAYLOAD_BYTES) return failure('length');
  const reader = new ByteReader(payload);
  const ack = { next: reader.u32(), bitmap: reader.u32() };
  const frames = readFrames(reader);
  if (!frames.ok) return failure(frames.reason);
  const lineCount = frames.frames.filter((frame) => frame.type === 'line').length;
  return { ok: true, ack, frames: frames.frames, lineCount };
}

export function encodeClosePayload(reason: number): Uint8Array {
  requireUint('close reason', reason, 8);
  return new Uint8Array([reason]);
}

export function decodeClosePayload(
  payload: Uint8Array,
): { readonly ok: true; readonly reason: number } | ProtectedFailure {
  if (payload.byteLength !== 1) return failure(payload.byteLength < 1 ? 'short' : 'length');
  return { ok: true, reason: payload[0] ?? 0 };
}

/** CHALLENGE and RESPONSE carry the same 8 bytes: the relay's random challenge, echoed. */
export function encodeProbePayload(challenge: Uint8Array): Uint8Array {
  requireBytes('challenge', challenge, CHALLENGE_BYTES);
  return new Uint8Array(challenge);
}

export function decodeProbePayload(
  payload: Uint8Array,
): { readonly ok: true; readonly challenge: Uint8Array } | ProtectedFailure {
  if (payload.byteLength !== CHALLENGE_BYTES) {
    return failure(payload.byteLength < CHALLENGE_BYTES ? 'short' : 'length');
  }
  return { ok: true, challenge: new Uint8Array(payload) };
}
