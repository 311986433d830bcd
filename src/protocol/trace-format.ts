/**
 * `--trace` output: one line per datagram with its direction, peer, size and text, every control byte
 * shown escaped so a hostile datagram cannot act on the terminal that watches the trace.
 */
import type { Address } from './address.ts';
import { addressKey } from './address.ts';
import { redactSecrets } from './redact.ts';
import { describeV2 } from './v2/describe.ts';
import { isV2 } from './v2/wire-common.ts';

export type TraceDirection = 'in' | 'out';

const lenientDecoder = new TextDecoder('utf-8', { fatal: false });

/** Escapes control characters, bidi controls and backslashes so the result is one inert line. */
export function escapeForDisplay(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (isInvisibleControl(code)) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out;
}

function isInvisibleControl(code: number): boolean {
  return (
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x061c ||
    code === 0xfeff
  );
}

/** A line's text as a trace shows it: secrets redacted, controls escaped. */
function showLine(text: string): string {
  return escapeForDisplay(redactSecrets(text));
}

/** Formats one traced datagram, e.g. `out 127.0.0.1:5000 12B "/join alice\n"`. */
export function formatTrace(direction: TraceDirection, peer: Address, bytes: Uint8Array): string {
  const arrow = direction === 'in' ? 'in ' : 'out';
  if (isV2(bytes)) return `${arrow} ${addressKey(peer)} ${bytes.byteLength}B ${describeV2(bytes, showLine)}`;
  return `${arrow} ${addressKey(peer)} ${bytes.byteLength}B "${escapeForDisplay(redactSecrets(lenientDecoder.decode(bytes)))}"`;
}
