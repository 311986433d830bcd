/**
 * `--trace` for v2: a datagram described as it is on the wire (type, session, numbers, acks, frames with
 * their text), read without verifying its tag: the trace shows what arrived, forged or not. Lines travel
 * in clear in v2 (docs/PROTOCOL-v2.md, non-goals), so the trace stays as readable as v1's.
 */
import { ByteReader, hex } from './bytes.ts';
import { readFrames } from './frame-codec.ts';
import type { Frame } from './frames.ts';
import { SESSION_ID_BYTES, TAG_BYTES } from './limits.ts';
import { peek } from './wire-common.ts';

const DATA_HEADER_BYTES = 3 + SESSION_ID_BYTES + 4 + 8;

/** One line such as (with `showText` escaping and redacting each line's text) `v2 DATA s=1f2e3d4c5b6a7988 #12 ack=4+0x3 LINE 7 "hello" PING`. */
export function describeV2(bytes: Uint8Array, showText: (text: string) => string): string {
  const peeked = peek(bytes);
  if (!peeked.ok) return `v2 malformed (${peeked.reason})`;
  const name = peeked.type.toUpperCase();
  if ('nonce' in peeked) return `v2 ${name} nonce=${hex(peeked.nonce)}`;
  if ('echo' in peeked) return `v2 ${name} echo=${hex(peeked.echo)} reason=${bytes[11] ?? '?'}`;
  const session = `s=${hex(peeked.sessionId)}`;
  const number =
    bytes.byteLength >= 15 ? ` #${new DataView(bytes.buffer, bytes.byteOffset).getUint32(11)}` : '';
  if (peeked.type !== 'data') return `v2 ${name} ${session}${number}`;
  return `v2 DATA ${session}${number} ${describeData(bytes, showText)}`;
}

function describeData(bytes: Uint8Array, showText: (text: string) => string): string {
  if (bytes.byteLength < DATA_HEADER_BYTES + TAG_BYTES) return '(short)';
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const ack = `ack=${view.getUint32(15)}+0x${view.getUint32(19).toString(16)}`;
  const frames = readFrames(new ByteReader(bytes.subarray(DATA_HEADER_BYTES, bytes.byteLength - TAG_BYTES)));
  if (!frames.ok) return `${ack} (bad frames: ${frames.reason})`;
  return [ack, ...frames.frames.map((frame) => describeFrame(frame, showText))].join(' ');
}

function describeFrame(frame: Frame, showText: (text: string) => string): string {
  if (frame.type === 'ping') return 'PING';
  if (frame.type === 'skip') return `SKIP ${frame.seq}`;
  return `LINE ${frame.seq} "${showText(frame.text)}"`;
}
