/**
 * Routing a wire-3 datagram before anything is opened (docs/PROTOCOL-v2.md, "Datagram layout"): its type
 * and the 8-byte id every type carries at offset 3 (a HELLO's, RETRY's or ACCEPT's nonce, a REJECT's echo,
 * a sealed type's session id), so the receiver can find the handshake or the session whose keys open it.
 * Nothing here is trusted: each handler still decodes or opens the whole datagram.
 */
import { MAX_DATAGRAM_BYTES } from '../limits.ts';
import { HEADER_BYTES, V2_MAGIC } from './limits.ts';
import { PACKET_TYPE_CODES, type PacketType, type Peeked } from './packets.ts';
import { PROTECTED_VERSION } from './protected-limits.ts';

const ROUTING_ID_BYTES = 8;

const TYPES_BY_CODE: ReadonlyMap<number, PacketType> = new Map(
  Object.entries(PACKET_TYPE_CODES).map(([name, code]) => [code, name as PacketType]),
);

/** The type and routing id of a wire-3 datagram; `version` for any other version (a v2 HELLO gets REJECT 1). */
export function peekProtected(bytes: Uint8Array): Peeked {
  if (bytes.byteLength === 0) return { ok: false, reason: 'short' };
  if (bytes[0] !== V2_MAGIC) return { ok: false, reason: 'magic' };
  if (bytes.byteLength < HEADER_BYTES) return { ok: false, reason: 'short' };
  if (bytes[1] !== PROTECTED_VERSION) return { ok: false, reason: 'version' };
  if (bytes.byteLength > MAX_DATAGRAM_BYTES) return { ok: false, reason: 'length' };
  const type = TYPES_BY_CODE.get(bytes[2] ?? 0);
  if (type === undefined) return { ok: false, reason: 'type' };
  if (bytes.byteLength < HEADER_BYTES + ROUTING_ID_BYTES) return { ok: false, reason: 'short' };
  const id = bytes.slice(HEADER_BYTES, HEADER_BYTES + ROUTING_ID_BYTES);
  switch (type) {
    case 'hello':
    case 'retry':
    case 'accept':
      return { ok: true, type, nonce: id };
    case 'reject':
      return { ok: true, type, echo: id };
    default:
      return { ok: true, type, sessionId: id };
  }
}
