/**
 * The tagged datagrams (docs/PROTOCOL-v2.md, "Keys and tags"): ACCEPT, DATA, CLOSE, CHALLENGE, RESPONSE.
 * Each ends with HMAC-SHA256(key of its direction, every byte before the tag)[0..16]. `open*` checks the
 * header and size, then the tag, and only then parses, so nothing unauthenticated reaches the frame decoder.
 */
import { MAX_DATAGRAM_BYTES } from '../limits.ts';
import type { ByteReader, ByteWriter } from './bytes.ts';
import { computeTag, tagMatches } from './crypto.ts';
import { prepareFrames, readFrames, writeFrames } from './frame-codec.ts';
import type { SessionKeys } from './keys.ts';
import {
  ACCEPT_PACKET_BYTES,
  CHALLENGE_BYTES,
  CHALLENGE_PACKET_BYTES,
  CLOSE_PACKET_BYTES,
  DATA_OVERHEAD_BYTES,
  NONCE_BYTES,
  PUBLIC_KEY_BYTES,
  RESET_TOKEN_BYTES,
  SESSION_ID_BYTES,
  TAG_BYTES,
} from './limits.ts';
import {
  type AcceptPacket,
  type ChallengePacket,
  type ClosePacket,
  type DataPacket,
  type Decoded,
  type Fields,
  PACKET_TYPE_CODES,
  type PacketType,
  type ResponsePacket,
} from './packets.ts';
import {
  bodyReader,
  fail,
  headerFailure,
  headerWriter,
  requireBytes,
  requireUint,
  sizeFailure,
} from './wire-common.ts';

/** Builds a datagram of `size` bytes (tag included): header, then `write`, then the tag over all of it. */
function seal(
  type: PacketType,
  size: number,
  key: Uint8Array,
  write: (writer: ByteWriter) => void,
): Uint8Array {
  const writer = headerWriter(type, size);
  write(writer);
  writer.raw(computeTag(key, writer.bytes.subarray(0, size - TAG_BYTES)));
  return writer.bytes;
}

/** Checks header, size and tag, then hands the untagged body (after the header) to `parse`. */
function open<P>(
  bytes: Uint8Array,
  key: Uint8Array,
  type: PacketType,
  sizes: { min: number; max: number },
  parse: (reader: ByteReader) => Decoded<P>,
): Decoded<P> {
  const failure = headerFailure(bytes, PACKET_TYPE_CODES[type]) ?? sizeFailure(bytes, sizes.min, sizes.max);
  if (failure !== null) return fail(failure);
  const tagAt = bytes.byteLength - TAG_BYTES;
  if (!tagMatches(key, bytes.subarray(0, tagAt), bytes.subarray(tagAt))) return fail('tag');
  return parse(bodyReader(bytes.subarray(0, tagAt)));
}

function exactly(size: number): { min: number; max: number } {
  return { min: size, max: size };
}

/** The keys an ACCEPT is sealed and opened with: its tag's (relay→client) and the reset token's mask. */
export type AcceptKeys = Pick<SessionKeys, 'relayToClient' | 'resetMask'>;

/**
 * ACCEPT, tagged with the relay→client key (the client derives it from this very datagram's key). The reset
 * token travels XORed with the session's reset mask: wire version 2 encrypts nothing, but the token must stay
 * secret, since it is what lets a REJECT end the session.
 */
export function sealAccept(fields: Fields<AcceptPacket>, keys: AcceptKeys): Uint8Array {
  requireBytes('nonce', fields.nonce, NONCE_BYTES);
  requireBytes('session id', fields.sessionId, SESSION_ID_BYTES);
  requireBytes('public key', fields.publicKey, PUBLIC_KEY_BYTES);
  requireBytes('reset token', fields.resetToken, RESET_TOKEN_BYTES);
  requireUint('idle timeout', fields.idleTimeoutMs, 32);
  requireUint('keep-alive', fields.keepAliveMs, 32);
  if (fields.idleTimeoutMs === 0 || fields.keepAliveMs === 0) throw new RangeError('ACCEPT timers are > 0');
  return seal('accept', ACCEPT_PACKET_BYTES, keys.relayToClient, (writer) => {
    writer.raw(fields.nonce).raw(fields.sessionId).raw(fields.publicKey);
    writer.u32(fields.idleTimeoutMs).u32(fields.keepAliveMs).raw(xor(fields.resetToken, keys.resetMask));
  });
}

/** An ACCEPT whose tag verifies; a zero timer makes it malformed (`length`: the field is out of range). */
export function openAccept(bytes: Uint8Array, keys: AcceptKeys): Decoded<AcceptPacket> {
  return open(bytes, keys.relayToClient, 'accept', exactly(ACCEPT_PACKET_BYTES), (reader) => {
    const nonce = reader.take(NONCE_BYTES);
    const sessionId = reader.take(SESSION_ID_BYTES);
    const publicKey = reader.take(PUBLIC_KEY_BYTES);
    const idleTimeoutMs = reader.u32();
    const keepAliveMs = reader.u32();
    const resetToken = xor(reader.take(RESET_TOKEN_BYTES), keys.resetMask);
    if (idleTimeoutMs === 0 || keepAliveMs === 0) return fail('length');
    const packet = {
      type: 'accept',
      nonce,
      sessionId,
      publicKey,
      idleTimeoutMs,
      keepAliveMs,
      resetToken,
    } as const;
    return { ok: true, packet };
  });
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength !== b.byteLength) throw new RangeError('xor of unequal lengths');
  return a.map((byte, i) => byte ^ (b[i] ?? 0));
}

/**
 * DATA with its frames. Throws RangeError if the datagram would exceed 1,200 bytes: callers pack with
 * `dataCapacity`/`frameSize` first, so that is a bug, not a network condition.
 */
export function sealData(fields: Fields<DataPacket>, key: Uint8Array): Uint8Array {
  requireBytes('session id', fields.sessionId, SESSION_ID_BYTES);
  requireUint('packet number', fields.packetNumber, 32);
  requireUint('ack next', fields.ack.next, 32);
  requireUint('ack bitmap', fields.ack.bitmap, 32);
  for (const frame of fields.frames) if (frame.type !== 'ping') requireUint('frame seq', frame.seq, 32);
  const { encoded, size } = prepareFrames(fields.frames);
  const total = DATA_OVERHEAD_BYTES + size;
  if (total > MAX_DATAGRAM_BYTES)
    throw new RangeError(`DATA of ${total} bytes exceeds ${MAX_DATAGRAM_BYTES}`);
  return seal('data', total, key, (writer) => {
    writer.raw(fields.sessionId).u32(fields.packetNumber).u32(fields.ack.next).u32(fields.ack.bitmap);
    writeFrames(writer, encoded);
  });
}

export function openData(bytes: Uint8Array, key: Uint8Array): Decoded<DataPacket> {
  return open(bytes, key, 'data', { min: DATA_OVERHEAD_BYTES, max: MAX_DATAGRAM_BYTES }, (reader) => {
    const sessionId = reader.take(SESSION_ID_BYTES);
    const packetNumber = reader.u32();
    const ack = { next: reader.u32(), bitmap: reader.u32() };
    const frames = readFrames(reader);
    if (!frames.ok) return fail(frames.reason);
    return { ok: true, packet: { type: 'data', sessionId, packetNumber, ack, frames: frames.frames } };
  });
}

export function sealClose(fields: Fields<ClosePacket>, key: Uint8Array): Uint8Array {
  requireBytes('session id', fields.sessionId, SESSION_ID_BYTES);
  requireUint('packet number', fields.packetNumber, 32);
  requireUint('reason', fields.reason, 8);
  return seal('close', CLOSE_PACKET_BYTES, key, (writer) => {
    writer.raw(fields.sessionId).u32(fields.packetNumber).u8(fields.reason);
  });
}

export function openClose(bytes: Uint8Array, key: Uint8Array): Decoded<ClosePacket> {
  return open(bytes, key, 'close', exactly(CLOSE_PACKET_BYTES), (reader) => {
    const sessionId = reader.take(SESSION_ID_BYTES);
    const packetNumber = reader.u32();
    return { ok: true, packet: { type: 'close', sessionId, packetNumber, reason: reader.u8() } };
  });
}

type ProbeFields = Fields<ChallengePacket>;

/** CHALLENGE and RESPONSE share a layout; only the type byte and the key's direction differ. */
function sealProbe(type: 'challenge' | 'response', fields: ProbeFields, key: Uint8Array): Uint8Array {
  requireBytes('session id', fields.sessionId, SESSION_ID_BYTES);
  requireUint('packet number', fields.packetNumber, 32);
  requireBytes('challenge', fields.challenge, CHALLENGE_BYTES);
  return seal(type, CHALLENGE_PACKET_BYTES, key, (writer) => {
    writer.raw(fields.sessionId).u32(fields.packetNumber).raw(fields.challenge);
  });
}

function openProbe<T extends 'challenge' | 'response'>(
  type: T,
  bytes: Uint8Array,
  key: Uint8Array,
): Decoded<ProbeFields & { readonly type: T }> {
  return open(bytes, key, type, exactly(CHALLENGE_PACKET_BYTES), (reader) => {
    const sessionId = reader.take(SESSION_ID_BYTES);
    const packetNumber = reader.u32();
    return { ok: true, packet: { type, sessionId, packetNumber, challenge: reader.take(CHALLENGE_BYTES) } };
  });
}

/** CHALLENGE to a session's new address, tagged relay→client. */
export function sealChallenge(fields: Fields<ChallengePacket>, relayToClient: Uint8Array): Uint8Array {
  return sealProbe('challenge', fields, relayToClient);
}

export function openChallenge(bytes: Uint8Array, relayToClient: Uint8Array): Decoded<ChallengePacket> {
  return openProbe('challenge', bytes, relayToClient);
}

/** RESPONSE echoing the challenge from the new address, tagged client→relay. */
export function sealResponse(fields: Fields<ResponsePacket>, clientToRelay: Uint8Array): Uint8Array {
  return sealProbe('response', fields, clientToRelay);
}

export function openResponse(bytes: Uint8Array, clientToRelay: Uint8Array): Decoded<ResponsePacket> {
  return openProbe('response', bytes, clientToRelay);
}
