/**
 * A whole LAN datagram: header, then the body in clear or sealed with the group key
 * (ChaCha20-Poly1305, nonce = sender id || sequence, associated data = the header).
 * Decoding reports the header it read even when the body fails, so a receiver can count a failure
 * against the sender it names (and tell a peer with another group key once per sender).
 */
import { openAead, sealAead } from './aead.ts';
import { decodeBody, encodeBody } from './body.ts';
import type { LanDatagram, LanDecodeError, LanEncodeError, LanHeader } from './datagram.ts';
import type { GroupKey } from './group-key.ts';
import { headerProblem, readHeader, writeHeader } from './header.ts';
import { AEAD_TAG_BYTES, HEADER_BYTES, MAX_LAN_DATAGRAM_BYTES } from './limits.ts';
import { messageNonce } from './message-id.ts';

export type LanDecoded =
  | { readonly ok: true; readonly datagram: LanDatagram; readonly sealed: boolean; readonly nickKey: string }
  | { readonly ok: false; readonly error: LanDecodeError; readonly header: LanHeader | null };

export type LanEncoded =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly error: LanEncodeError };

/** Sealed when `key` is given, in clear otherwise. Never over MAX_LAN_DATAGRAM_BYTES: 'too-large' instead. */
export function encodeLanDatagram(datagram: LanDatagram, key: GroupKey | null): LanEncoded {
  const header: LanHeader = {
    sealed: key !== null,
    senderId: datagram.senderId,
    sequence: datagram.sequence,
  };
  const problem = headerProblem(header);
  if (problem !== null) return { ok: false, error: problem };
  const body = encodeBody(datagram);
  if (!body.ok) return body;
  const size = HEADER_BYTES + body.bytes.byteLength + (key === null ? 0 : AEAD_TAG_BYTES);
  if (size > MAX_LAN_DATAGRAM_BYTES) return { ok: false, error: 'too-large' };
  const head = writeHeader(header);
  const rest =
    key === null
      ? body.bytes
      : sealAead(key.bytes, messageNonce(header.senderId, header.sequence), head, body.bytes);
  const bytes = new Uint8Array(size);
  bytes.set(head, 0);
  bytes.set(rest, HEADER_BYTES);
  return { ok: true, bytes };
}

/**
 * With a key only sealed datagrams that authenticate are accepted; without one only datagrams in clear.
 * Never throws, whatever the bytes.
 */
export function decodeLanDatagram(bytes: Uint8Array, key: GroupKey | null): LanDecoded {
  const read = readHeader(bytes);
  if (!read.ok) return { ok: false, error: read.error, header: null };
  const { header } = read;
  const fail = (error: LanDecodeError): LanDecoded => ({ ok: false, error, header });
  if (header.sealed && key === null) return fail('needs-key');
  if (!header.sealed && key !== null) return fail('unsealed');
  const rest = bytes.subarray(HEADER_BYTES);
  const plain =
    key === null
      ? rest
      : openAead(
          key.bytes,
          messageNonce(header.senderId, header.sequence),
          bytes.subarray(0, HEADER_BYTES),
          rest,
        );
  if (plain === null) return fail('authentication');
  const body = decodeBody(plain);
  if (!body.ok) return fail(body.error);
  const datagram: LanDatagram = { ...body.body, senderId: header.senderId, sequence: header.sequence };
  return { ok: true, datagram, sealed: header.sealed, nickKey: body.nickKey };
}
