/**
 * The client must read the relay's public key out of an ACCEPT before it can verify the ACCEPT's tag (the
 * tag's key is derived from that public key). This reads the routing fields only; `openAccept` with the
 * derived key then verifies the whole datagram before anything is trusted.
 */
import { NONCE_BYTES, PUBLIC_KEY_BYTES, SESSION_ID_BYTES } from './limits.ts';
import { PACKET_TYPE_CODES } from './packets.ts';
import { headerFailure } from './wire-common.ts';

export interface AcceptKeyMaterial {
  readonly nonce: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly publicKey: Uint8Array;
}

const HEADER = 3;

export function acceptKeyMaterial(bytes: Uint8Array): AcceptKeyMaterial | null {
  if (headerFailure(bytes, PACKET_TYPE_CODES.accept) !== null) return null;
  const end = HEADER + NONCE_BYTES + SESSION_ID_BYTES + PUBLIC_KEY_BYTES;
  if (bytes.byteLength < end) return null;
  const nonceEnd = HEADER + NONCE_BYTES;
  const sessionEnd = nonceEnd + SESSION_ID_BYTES;
  return {
    nonce: bytes.slice(HEADER, nonceEnd),
    sessionId: bytes.slice(nonceEnd, sessionEnd),
    publicKey: bytes.slice(sessionEnd, end),
  };
}
