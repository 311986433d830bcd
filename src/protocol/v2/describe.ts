/**
 * `--trace` for v2 (docs/PROTOCOL-v2.md, section 14). A datagram as it is on the wire: its type and the
 * fields in clear, and, for a sealed one, only its session, packet number and the mark `[protected]`: its
 * frames are ciphertext to anyone but the two endpoints. What an endpoint sealed or opened is described by
 * `describeProtected`, from the endpoint's own note of it. Neither ever shows a key, an iv, a cookie or a
 * reset token (a REJECT 4 is shown without its token, an ACCEPT without its sealed parameters).
 */
import { ByteReader, hex } from './bytes.ts';
import { fingerprint } from './fingerprint.ts';
import { readFrames } from './frame-codec.ts';
import type { AckInfo, Frame } from './frames.ts';
import { SESSION_ID_BYTES, TAG_BYTES } from './limits.ts';
import { PROTECTED_ACCEPT_BYTES, PROTECTED_VERSION } from './protected-limits.ts';
import { peekProtected } from './protected-peek.ts';
import { peek } from './wire-common.ts';

const WIRE2_DATA_HEADER_BYTES = 3 + SESSION_ID_BYTES + 4 + 8;
/** Where an ACCEPT carries its relay identity key (after header, nonce, session id, ephemeral key). */
const ACCEPT_IDENTITY_AT = 51;

/** What an endpoint knows of a protected datagram it sealed or opened (session-link.ts's note). */
export interface ProtectedContent {
  readonly type: string;
  readonly sessionId: Uint8Array;
  readonly packetNumber: number;
  readonly ack?: AckInfo;
  readonly frames?: readonly Frame[];
  readonly reason?: number;
}

/**
 * One line such as `v2 DATA s=1f2e3d4c5b6a7988 #12 [protected]` or `v2 ACCEPT nonce=… s=… identity=SHA256:…`.
 * `showText` escapes and redacts a line's text (wire version 2 carried lines in clear).
 */
export function describeV2(bytes: Uint8Array, showText: (text: string) => string): string {
  if (bytes.byteLength >= 2 && bytes[1] !== PROTECTED_VERSION) return describeWire2(bytes, showText);
  const peeked = peekProtected(bytes);
  if (!peeked.ok) return `v2 malformed (${peeked.reason})`;
  const name = peeked.type.toUpperCase();
  if (peeked.type === 'accept') return `v2 ACCEPT nonce=${hex(peeked.nonce)} ${acceptClear(bytes)}`;
  if ('nonce' in peeked) return `v2 ${name} nonce=${hex(peeked.nonce)}`;
  if ('echo' in peeked) return `v2 ${name} echo=${hex(peeked.echo)} reason=${bytes[11] ?? '?'}`;
  return `v2 ${name} s=${hex(peeked.sessionId)}${packetNumber(bytes)} [protected]`;
}

/**
 * What this endpoint sealed or opened, e.g. `v2 DATA s=… #0 [protected] ack=0+0x0 LINE 0 "/join alice"`:
 * the decrypted content, shown only where it was decrypted.
 */
export function describeProtected(content: ProtectedContent, showText: (text: string) => string): string {
  const head = `v2 ${content.type.toUpperCase()} s=${hex(content.sessionId)} #${content.packetNumber} [protected]`;
  if (content.reason !== undefined) return `${head} reason=${content.reason}`;
  if (content.ack === undefined) return head;
  const ack = `ack=${content.ack.next}+0x${content.ack.bitmap.toString(16)}`;
  return [head, ack, ...(content.frames ?? []).map((frame) => describeFrame(frame, showText))].join(' ');
}

function acceptClear(bytes: Uint8Array): string {
  if (bytes.byteLength < PROTECTED_ACCEPT_BYTES) return '(short)';
  const session = hex(bytes.subarray(11, 19));
  const identity = fingerprint(bytes.subarray(ACCEPT_IDENTITY_AT, ACCEPT_IDENTITY_AT + 32));
  return `s=${session} identity=${identity}`;
}

function packetNumber(bytes: Uint8Array): string {
  return bytes.byteLength >= 15 ? ` #${new DataView(bytes.buffer, bytes.byteOffset).getUint32(11)}` : '';
}

/** Wire version 2 (no longer spoken, still named when an old peer sends it): its frames were in clear. */
function describeWire2(bytes: Uint8Array, showText: (text: string) => string): string {
  const peeked = peek(bytes);
  if (!peeked.ok) return `v2 malformed (${peeked.reason})`;
  const name = `wire-2 ${peeked.type.toUpperCase()}`;
  if ('nonce' in peeked) return `v2 ${name} nonce=${hex(peeked.nonce)}`;
  if ('echo' in peeked) return `v2 ${name} echo=${hex(peeked.echo)} reason=${bytes[11] ?? '?'}`;
  const session = `s=${hex(peeked.sessionId)}`;
  if (peeked.type !== 'data') return `v2 ${name} ${session}${packetNumber(bytes)}`;
  return `v2 ${name} ${session}${packetNumber(bytes)} ${describeWire2Data(bytes, showText)}`;
}

function describeWire2Data(bytes: Uint8Array, showText: (text: string) => string): string {
  if (bytes.byteLength < WIRE2_DATA_HEADER_BYTES + TAG_BYTES) return '(short)';
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const ack = `ack=${view.getUint32(15)}+0x${view.getUint32(19).toString(16)}`;
  const body = bytes.subarray(WIRE2_DATA_HEADER_BYTES, bytes.byteLength - TAG_BYTES);
  const frames = readFrames(new ByteReader(body));
  if (!frames.ok) return `${ack} (bad frames: ${frames.reason})`;
  return [ack, ...frames.frames.map((frame) => describeFrame(frame, showText))].join(' ');
}

function describeFrame(frame: Frame, showText: (text: string) => string): string {
  if (frame.type === 'ping') return 'PING';
  if (frame.type === 'skip') return `SKIP ${frame.seq}`;
  return `LINE ${frame.seq} "${showText(frame.text)}"`;
}
