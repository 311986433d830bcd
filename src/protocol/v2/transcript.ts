/**
 * The handshake transcript (docs/PROTOCOL-v2.md, "Transcript"): every value both sides must agree on
 * before they trust a session, in one fixed layout. Its SHA-256 is what the relay's identity signs and the
 * salt of the key schedule, so changing any byte of it (a substituted key, another session id, a stripped
 * extension, an older version) gives other keys and a proof that does not verify.
 *
 *   T = "udpchat wire3 handshake" ‖ 0xFF ‖ version ‖ nonce (8) ‖ client key (32)
 *       ‖ HELLO extensions length (u16) ‖ HELLO extensions ‖ session id (8)
 *       ‖ relay ephemeral key (32) ‖ relay identity key (32)
 *
 * Every field has a fixed size except the extensions, which carry their own length, so T is unambiguous.
 */
import { createHash } from 'node:crypto';
import { ByteWriter } from './bytes.ts';
import { NONCE_BYTES, PUBLIC_KEY_BYTES, SESSION_ID_BYTES, V2_MAGIC } from './limits.ts';
import { IDENTITY_KEY_BYTES, PROTECTED_VERSION } from './protected-limits.ts';
import { requireBytes } from './wire-common.ts';

export const TRANSCRIPT_LABEL = 'udpchat wire3 handshake';
const MAX_EXTENSIONS_BYTES = 0xffff;
const encoder = new TextEncoder();

export interface TranscriptFields {
  readonly nonce: Uint8Array;
  readonly clientKey: Uint8Array;
  /** The HELLO's extensions exactly as sent (empty in this revision). */
  readonly helloExtensions: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly relayEphemeralKey: Uint8Array;
  readonly relayIdentityKey: Uint8Array;
}

export function transcriptBytes(fields: TranscriptFields): Uint8Array {
  requireBytes('nonce', fields.nonce, NONCE_BYTES);
  requireBytes('client key', fields.clientKey, PUBLIC_KEY_BYTES);
  requireBytes('session id', fields.sessionId, SESSION_ID_BYTES);
  requireBytes('relay ephemeral key', fields.relayEphemeralKey, PUBLIC_KEY_BYTES);
  requireBytes('relay identity key', fields.relayIdentityKey, IDENTITY_KEY_BYTES);
  if (fields.helloExtensions.byteLength > MAX_EXTENSIONS_BYTES) throw new RangeError('extensions too long');
  const label = encoder.encode(TRANSCRIPT_LABEL);
  const size =
    label.byteLength +
    2 +
    NONCE_BYTES +
    PUBLIC_KEY_BYTES +
    2 +
    fields.helloExtensions.byteLength +
    SESSION_ID_BYTES +
    PUBLIC_KEY_BYTES +
    IDENTITY_KEY_BYTES;
  const writer = new ByteWriter(size).raw(label).u8(V2_MAGIC).u8(PROTECTED_VERSION);
  writer.raw(fields.nonce).raw(fields.clientKey);
  writer.u16(fields.helloExtensions.byteLength).raw(fields.helloExtensions);
  writer.raw(fields.sessionId).raw(fields.relayEphemeralKey).raw(fields.relayIdentityKey);
  return writer.bytes;
}

/** th = SHA-256(T). */
export function transcriptHash(fields: TranscriptFields): Uint8Array {
  return new Uint8Array(createHash('sha256').update(transcriptBytes(fields)).digest());
}
