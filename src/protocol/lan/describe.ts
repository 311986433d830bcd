/**
 * `--trace` for LAN datagrams: the header (sender id, sequence) and, in clear, the body (kind, line
 * number, nick, text), e.g. `lan s=3c9a5107e24d881f #1 LINE 0 alice "hi bob"`. A sealed body is shown as
 * such only: the trace has no key, and the passphrase is never anywhere it could print.
 */
import type { LanHeader } from './datagram.ts';
import { senderIdHex } from './message-id.ts';
import { decodeLanDatagram } from './wire.ts';

export function describeLan(bytes: Uint8Array, showText: (text: string) => string): string {
  const decoded = decodeLanDatagram(bytes, null);
  if (decoded.ok) {
    const { kind, lineNumber, nick, text } = decoded.datagram;
    const said = text === '' ? '' : ` "${showText(text)}"`;
    return `${headerText(decoded.datagram)} ${kind.toUpperCase()} ${lineNumber} ${showText(nick)}${said}`;
  }
  if (decoded.header === null) return `lan malformed (${decoded.error})`;
  if (decoded.error === 'needs-key') return `${headerText(decoded.header)} sealed`;
  return `${headerText(decoded.header)} malformed (${decoded.error})`;
}

function headerText(header: Pick<LanHeader, 'senderId' | 'sequence'>): string {
  return `lan s=${senderIdHex(header.senderId)} #${header.sequence}`;
}
