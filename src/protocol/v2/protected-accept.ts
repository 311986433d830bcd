/**
 * ACCEPT in wire version 3 (docs/PROTOCOL-v2.md, "ACCEPT"): where the relay proves its identity and both
 * sides get their keys. In clear: the echoed nonce, the session id, the relay's ephemeral X25519 key, its
 * long-term Ed25519 identity key and the proof (its signature over the transcript hash). Sealed under the
 * accept key (all-zero nonce, used once; AD = everything before it): the idle timeout and keep-alive (u32
 * ms), the session's reset token and extensions (none yet).
 *
 * The client checks in this order, and stops at the first failure: type and size, the nonce is its own,
 * the proof verifies under the identity key carried, the X25519 secret is not degenerate, the sealed part
 * opens. Whether the identity key is the one pinned for this relay is the caller's decision, made after
 * this says the ACCEPT is genuine for that key.
 */

import { MAX_DATAGRAM_BYTES } from '../limits.ts';
import { openAead, sealAead } from './aead.ts';
import { ByteReader, ByteWriter, bytesEqual } from './bytes.ts';
import { deriveSessionSecrets, type SessionSecrets } from './key-schedule.ts';
import { HEADER_BYTES, NONCE_BYTES, PUBLIC_KEY_BYTES, SESSION_ID_BYTES, V2_MAGIC } from './limits.ts';
import { PACKET_TYPE_CODES } from './packets.ts';
import { decodeExtensions } from './protected-handshake.ts';
import {
  ACCEPT_CLEAR_BYTES,
  ACCEPT_PARAMS_BYTES,
  AEAD_NONCE_BYTES,
  IDENTITY_KEY_BYTES,
  PROOF_BYTES,
  PROTECTED_ACCEPT_BYTES,
  PROTECTED_VERSION,
  RESET_TOKEN_BYTES,
} from './protected-limits.ts';
import { failure, type ProtectedFailure } from './protected-packets.ts';
import { type RelayIdentity, verifyProof } from './relay-identity.ts';
import { resetToken } from './reset-token.ts';
import { transcriptHash } from './transcript.ts';
import { requireBytes, requireUint } from './wire-common.ts';
import type { X25519Secret } from './x25519.ts';

/** The ACCEPT nonce: its key is fresh per session and seals exactly one plaintext (re-sent ACCEPTs are copies). */
const ACCEPT_NONCE = new Uint8Array(AEAD_NONCE_BYTES);

export interface AcceptParams {
  readonly idleTimeoutMs: number;
  readonly keepAliveMs: number;
  readonly resetToken: Uint8Array;
  readonly extensions: Uint8Array;
}

/** What the relay knows of the HELLO it accepts. */
export interface AcceptedHello {
  readonly nonce: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly extensions: Uint8Array;
}

export interface AcceptInput {
  readonly hello: AcceptedHello;
  readonly sessionId: Uint8Array;
  readonly ephemeral: X25519Secret;
  readonly identity: RelayIdentity;
  readonly idleTimeoutMs: number;
  readonly keepAliveMs: number;
  readonly extensions?: Uint8Array;
}

export type AcceptSealed =
  | {
      readonly ok: true;
      readonly datagram: Uint8Array;
      readonly secrets: SessionSecrets;
      readonly resetToken: Uint8Array;
    }
  /** The client's key is small-order: answer REJECT 5 (the relay should have screened it before the cookie). */
  | ProtectedFailure;

export interface AcceptOpened {
  readonly ok: true;
  readonly sessionId: Uint8Array;
  readonly identityKey: Uint8Array;
  readonly params: AcceptParams;
  readonly secrets: SessionSecrets;
}

/** What the client compares the ACCEPT against: its own HELLO. */
export interface AcceptExpectation {
  readonly nonce: Uint8Array;
  readonly ephemeral: X25519Secret;
  readonly helloExtensions: Uint8Array;
}

/** Relay side: the ACCEPT datagram and the session's keys. */
export function sealAccept3(input: AcceptInput): AcceptSealed {
  requireBytes('nonce', input.hello.nonce, NONCE_BYTES);
  requireBytes('session id', input.sessionId, SESSION_ID_BYTES);
  requireUint('idle timeout', input.idleTimeoutMs, 32);
  requireUint('keep-alive', input.keepAliveMs, 32);
  const extensions = input.extensions ?? new Uint8Array(0);
  if (decodeExtensions(extensions) === null) throw new RangeError('malformed ACCEPT extensions');
  if (PROTECTED_ACCEPT_BYTES + extensions.byteLength > MAX_DATAGRAM_BYTES) {
    throw new RangeError('ACCEPT extensions too long for one datagram');
  }
  const shared = input.ephemeral.agree(input.hello.publicKey);
  if (!shared.ok) return failure('key');
  const th = transcriptHash({
    nonce: input.hello.nonce,
    clientKey: input.hello.publicKey,
    helloExtensions: input.hello.extensions,
    sessionId: input.sessionId,
    relayEphemeralKey: input.ephemeral.publicKey,
    relayIdentityKey: input.identity.publicKey,
  });
  const secrets = deriveSessionSecrets(shared.secret, th);
  const token = resetToken(input.identity.resetKey, input.sessionId);
  const clear = new ByteWriter(ACCEPT_CLEAR_BYTES)
    .u8(V2_MAGIC)
    .u8(PROTECTED_VERSION)
    .u8(PACKET_TYPE_CODES.accept)
    .raw(input.hello.nonce)
    .raw(input.sessionId)
    .raw(input.ephemeral.publicKey)
    .raw(input.identity.publicKey)
    .raw(input.identity.prove(th)).bytes;
  const params = new ByteWriter(ACCEPT_PARAMS_BYTES + extensions.byteLength)
    .u32(input.idleTimeoutMs)
    .u32(input.keepAliveMs)
    .raw(token)
    .u16(extensions.byteLength)
    .raw(extensions).bytes;
  const sealed = sealAead(secrets.accept, ACCEPT_NONCE, params, clear);
  const datagram = new Uint8Array(clear.byteLength + sealed.byteLength);
  datagram.set(clear, 0);
  datagram.set(sealed, clear.byteLength);
  return { ok: true, datagram, secrets, resetToken: token };
}

/** Client side: the ACCEPT checked against our HELLO, or why it is not one we can use. Never throws. */
export function openAccept3(bytes: Uint8Array, expect: AcceptExpectation): AcceptOpened | ProtectedFailure {
  if (bytes.byteLength < HEADER_BYTES) return failure('short');
  if (bytes[0] !== V2_MAGIC) return failure('magic');
  if (bytes[1] !== PROTECTED_VERSION) return failure('version');
  if (bytes[2] !== PACKET_TYPE_CODES.accept) return failure('type');
  if (bytes.byteLength < PROTECTED_ACCEPT_BYTES) return failure('short');
  if (bytes.byteLength > MAX_DATAGRAM_BYTES) return failure('length');
  const reader = new ByteReader(bytes.subarray(HEADER_BYTES, ACCEPT_CLEAR_BYTES));
  const nonce = reader.take(NONCE_BYTES);
  if (!bytesEqual(nonce, expect.nonce)) return failure('nonce');
  const sessionId = reader.take(SESSION_ID_BYTES);
  const relayEphemeralKey = reader.take(PUBLIC_KEY_BYTES);
  const identityKey = reader.take(IDENTITY_KEY_BYTES);
  const proof = reader.take(PROOF_BYTES);
  const th = transcriptHash({
    nonce,
    clientKey: expect.ephemeral.publicKey,
    helloExtensions: expect.helloExtensions,
    sessionId,
    relayEphemeralKey,
    relayIdentityKey: identityKey,
  });
  if (!verifyProof(identityKey, th, proof)) return failure('proof');
  const shared = expect.ephemeral.agree(relayEphemeralKey);
  if (!shared.ok) return failure('key');
  const secrets = deriveSessionSecrets(shared.secret, th);
  const clear = bytes.subarray(0, ACCEPT_CLEAR_BYTES);
  const params = openAead(secrets.accept, ACCEPT_NONCE, bytes.subarray(ACCEPT_CLEAR_BYTES), clear);
  if (params === null) return failure('auth');
  const decoded = decodeParams(params);
  if (!decoded.ok) return decoded;
  return { ok: true, sessionId, identityKey, params: decoded.params, secrets };
}

function decodeParams(
  bytes: Uint8Array,
): { readonly ok: true; readonly params: AcceptParams } | ProtectedFailure {
  // The AEAD already proved these bytes are the relay's; a wrong layout means a broken relay.
  if (bytes.byteLength < ACCEPT_PARAMS_BYTES) return failure('short');
  const reader = new ByteReader(bytes);
  const idleTimeoutMs = reader.u32();
  const keepAliveMs = reader.u32();
  const token = reader.take(RESET_TOKEN_BYTES);
  const length = reader.u16();
  if (reader.remaining !== length) return failure('extensions');
  const extensions = reader.take(length);
  if (decodeExtensions(extensions) === null) return failure('extensions');
  if (idleTimeoutMs === 0 || keepAliveMs === 0) return failure('params');
  return { ok: true, params: { idleTimeoutMs, keepAliveMs, resetToken: token, extensions } };
}
