/**
 * The frames inside a DATA datagram (docs/PROTOCOL-v2.md, "Frames inside DATA"): their sizes, so a sender
 * packs as many as fit in 1,200 bytes (RFC 8085 §3.2), and their encoding and strict decoding.
 */
import { utf8Length } from '../codec.ts';
import { MAX_DATAGRAM_BYTES } from '../limits.ts';
import type { ByteReader, ByteWriter } from './bytes.ts';
import type { Frame } from './frames.ts';
import { DATA_OVERHEAD_BYTES, LINE_FRAME_OVERHEAD_BYTES } from './limits.ts';
import type { DecodeFailureReason } from './packets.ts';

export const FRAME_TYPE_CODES = { line: 0x01, skip: 0x02, ping: 0x03 } as const;

const SKIP_FRAME_BYTES = 5;
const PING_FRAME_BYTES = 1;

/** The longest line (in UTF-8 bytes) a DATA datagram can carry alone; a longer one is refused before queueing. */
export const MAX_LINE_TEXT_BYTES = MAX_DATAGRAM_BYTES - DATA_OVERHEAD_BYTES - LINE_FRAME_OVERHEAD_BYTES;

/** A frame's size on the wire. A lone surrogate counts 3 bytes, as TextEncoder writes U+FFFD for it. */
export function frameSize(frame: Frame): number {
  switch (frame.type) {
    case 'line':
      return LINE_FRAME_OVERHEAD_BYTES + utf8Length(frame.text);
    case 'skip':
      return SKIP_FRAME_BYTES;
    case 'ping':
      return PING_FRAME_BYTES;
  }
}

/** The size of the DATA datagram that carries `frames`, tag included. */
export function dataSize(frames: readonly Frame[]): number {
  let size = DATA_OVERHEAD_BYTES;
  for (const frame of frames) size += frameSize(frame);
  return size;
}

/** Bytes still free for more frames in a DATA carrying `frames` (negative: it is already too large). */
export function dataCapacity(frames: readonly Frame[]): number {
  return MAX_DATAGRAM_BYTES - dataSize(frames);
}

/** A frame with its line already encoded, so the datagram size is known before allocating it. */
export type EncodedFrame = { readonly frame: Frame; readonly text: Uint8Array | null };

const encoder = new TextEncoder();

/** Encodes the lines of `frames` and returns their total wire size. */
export function prepareFrames(frames: readonly Frame[]): { encoded: EncodedFrame[]; size: number } {
  let size = 0;
  const encoded = frames.map((frame): EncodedFrame => {
    const text = frame.type === 'line' ? encodeLineText(frame.text) : null;
    size += text === null ? frameSize(frame) : LINE_FRAME_OVERHEAD_BYTES + text.byteLength;
    return { frame, text };
  });
  return { encoded, size };
}

function encodeLineText(text: string): Uint8Array {
  if (text.includes('\n')) throw new RangeError('a LINE frame carries one line, without "\\n"');
  return encoder.encode(text);
}

/** Writes prepared frames; sizes and ranges were checked by the caller. */
export function writeFrames(writer: ByteWriter, frames: readonly EncodedFrame[]): void {
  for (const { frame, text } of frames) {
    writer.u8(FRAME_TYPE_CODES[frame.type]);
    if (frame.type === 'ping') continue;
    writer.u32(frame.seq);
    if (text !== null) writer.u16(text.byteLength).raw(text);
  }
}

// ignoreBOM keeps a leading U+FEFF as text (the default would strip it and break round trips).
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type FramesResult = { ok: true; frames: Frame[] } | { ok: false; reason: DecodeFailureReason };
type FrameResult = { ok: true; frame: Frame } | { ok: false; reason: DecodeFailureReason };

/** Decodes every frame up to the reader's end; one bad frame makes the whole datagram malformed. */
export function readFrames(reader: ByteReader): FramesResult {
  const frames: Frame[] = [];
  while (reader.remaining > 0) {
    const result = readFrame(reader);
    if (!result.ok) return result;
    frames.push(result.frame);
  }
  return { ok: true, frames };
}

function readFrame(reader: ByteReader): FrameResult {
  const code = reader.u8();
  if (code === FRAME_TYPE_CODES.ping) return { ok: true, frame: { type: 'ping' } };
  if (code === FRAME_TYPE_CODES.skip) {
    if (reader.remaining < 4) return { ok: false, reason: 'frame' };
    return { ok: true, frame: { type: 'skip', seq: reader.u32() } };
  }
  if (code === FRAME_TYPE_CODES.line) return readLine(reader);
  return { ok: false, reason: 'frame' };
}

function readLine(reader: ByteReader): FrameResult {
  if (reader.remaining < LINE_FRAME_OVERHEAD_BYTES - 1) return { ok: false, reason: 'frame' };
  const seq = reader.u32();
  const length = reader.u16();
  if (reader.remaining < length) return { ok: false, reason: 'length' };
  let text: string;
  try {
    text = strictDecoder.decode(reader.span(length));
  } catch {
    return { ok: false, reason: 'utf8' };
  }
  if (text.includes('\n')) return { ok: false, reason: 'newline' };
  return { ok: true, frame: { type: 'line', seq, text } };
}
