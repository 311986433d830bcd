/**
 * Keeps secrets out of anything a person reads: `--trace` shows every datagram, and an authenticated
 * `/join <nick> <secret>` carries the secret in clear. The secret is replaced, the nick is kept (it is
 * what an operator debugging a refused login needs to see).
 */

export const REDACTED_SECRET = '<secret redacted>';

/**
 * `/join`, its nick, then anything more. Deliberately wider than the relay's own parsing (command-line.ts
 * wants exactly one space after the name and no leading blanks): whatever the relay might take for a
 * secret, and whatever a client meant as one, is hidden. `\s` matches every Unicode space, U+FEFF
 * included, as `firstWord` does; the `s` flag lets the secret hold a lone `\r` or U+2028.
 */
const JOIN_WITH_SECRET = /^(\s*\/join\s+\S+)\s+\S.*$/is;

/** Returns `text` with the secret of every `/join <nick> <secret>` line replaced by `<secret redacted>`. */
export function redactSecrets(text: string): string {
  return text.split('\n').map(redactLine).join('\n');
}

/** One line as split on `\n`; a final `\r` (the `\r\n` framing) is kept so the trace still shows it. */
function redactLine(line: string): string {
  const ending = line.endsWith('\r') ? '\r' : '';
  const body = ending === '' ? line : line.slice(0, -1);
  const match = JOIN_WITH_SECRET.exec(body);
  if (match === null) return line;
  return `${match[1]} ${REDACTED_SECRET}${ending}`;
}
