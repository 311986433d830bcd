/**
 * v1 framing: one datagram carries UTF-8 text, one line per `\n`. The seed strips trailing `\n`
 * (`rstrip('\n')`); we also accept `\r\n`, and split a datagram that holds several lines.
 */
import { MAX_INBOUND_DATAGRAM_BYTES, MAX_LINES_PER_DATAGRAM } from './limits.ts';

export type DecodeError = 'too-large' | 'invalid-utf8' | 'too-many-lines';

export type DecodedDatagram =
  | { readonly ok: true; readonly lines: readonly string[] }
  | { readonly ok: false; readonly error: DecodeError; readonly bytes: number };

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const encoder = new TextEncoder();

/** Splits decoded text into its non-empty lines, each without its `\n` or `\r\n`. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  for (const piece of text.split('\n')) {
    const line = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
    if (line.length > 0) lines.push(line);
  }
  return lines;
}

/** The relay's strict decoding: oversize, invalid UTF-8 and too many lines are refused, never repaired. */
export function decodeDatagram(bytes: Uint8Array): DecodedDatagram {
  if (bytes.byteLength > MAX_INBOUND_DATAGRAM_BYTES)
    return { ok: false, error: 'too-large', bytes: bytes.byteLength };
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    return { ok: false, error: 'invalid-utf8', bytes: bytes.byteLength };
  }
  const lines = splitLines(text);
  if (lines.length > MAX_LINES_PER_DATAGRAM)
    return { ok: false, error: 'too-many-lines', bytes: bytes.byteLength };
  return { ok: true, lines };
}

/**
 * The client's lenient decoding (the seed's pitfall: decode with errors='replace' or the receive loop dies).
 * Bad bytes become U+FFFD; the caller still sanitises every line before showing it.
 */
export function decodeLenient(bytes: Uint8Array): string[] {
  return splitLines(lenientDecoder.decode(bytes));
}

/** One line as a datagram: UTF-8 with exactly one final `\n`. */
export function encodeLine(line: string): Uint8Array {
  return encoder.encode(`${line}\n`);
}

/** Characters as the seed's Python `len` counts them: Unicode code points. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
