/**
 * `--trace` output: one line per datagram with its direction, peer, size and text, every unsafe character
 * (protocol/sanitize.ts) shown escaped so a hostile datagram cannot act on the terminal that watches the
 * trace, nor hide anything from the person reading it.
 */
import type { Address } from './address.ts';
import { addressKey } from './address.ts';
import { describeLan } from './lan/describe.ts';
import { isLan } from './lan/header.ts';
import { redactSecrets } from './redact.ts';
import { replaceUnsafe } from './sanitize.ts';
import { describeProtected, describeV2, type ProtectedContent } from './v2/describe.ts';
import { isV2 } from './v2/wire-common.ts';

export type TraceDirection = 'in' | 'out';

const lenientDecoder = new TextDecoder('utf-8', { fatal: false });

/**
 * The text as one inert line: every unsafe code point (protocol/sanitize.ts) escaped, `\n`, `\r` and `\t`
 * by name, the other C0, DEL and C1 controls as `\xNN`, everything else unsafe as `\u{...}`; backslashes
 * are doubled first, so an escape in the output always stands for exactly one character of the input.
 */
export function escapeForDisplay(text: string): string {
  return replaceUnsafe(text.replaceAll('\\', '\\\\'), escapeCharacter);
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCharacter(char: string): string {
  const named = NAMED_ESCAPES[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** A line's text as a trace shows it: secrets redacted, controls escaped. */
function showLine(text: string): string {
  return escapeForDisplay(redactSecrets(text));
}

/** Formats one traced datagram, e.g. `out 127.0.0.1:5000 12B "/join alice\n"`. */
export function formatTrace(direction: TraceDirection, peer: Address, bytes: Uint8Array): string {
  const arrow = direction === 'in' ? 'in ' : 'out';
  if (isV2(bytes)) return `${arrow} ${addressKey(peer)} ${bytes.byteLength}B ${describeV2(bytes, showLine)}`;
  if (isLan(bytes))
    return `${arrow} ${addressKey(peer)} ${bytes.byteLength}B ${describeLan(bytes, showLine)}`;
  return `${arrow} ${addressKey(peer)} ${bytes.byteLength}B "${escapeForDisplay(redactSecrets(lenientDecoder.decode(bytes)))}"`;
}

/**
 * What this endpoint sealed or opened, traced beside the wire line of the same datagram (which shows only
 * `[protected]`), e.g. `opened v2 DATA s=0101010101010101 #3 [protected] ack=2+0x0 LINE 4 "hi"`.
 */
export function formatProtectedTrace(direction: 'sealed' | 'opened', content: ProtectedContent): string {
  return `${direction} ${describeProtected(content, showLine)}`;
}
