/**
 * A plain line (seed): relayed as `<nick> text` to every other joined client, never echoed to the sender.
 * The text is checked and sanitised here, once, before anyone else sees it.
 */
import type { Address } from '../../protocol/address.ts';
import { codePointLength, encodeLine } from '../../protocol/codec.ts';
import { MAX_DATAGRAM_BYTES, MAX_LINE_CHARS } from '../../protocol/limits.ts';
import * as wire from '../../protocol/messages.ts';
import { sanitizeText } from '../../protocol/sanitize.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session-table.ts';

export function handleSay(ctx: RelayContext, from: Address, session: Session, line: string): void {
  const chars = codePointLength(line);
  if (chars > MAX_LINE_CHARS) {
    ctx.refuse(from, session, 'line-too-long', wire.lineTooLong(chars, MAX_LINE_CHARS));
    return;
  }
  const text = sanitizeText(line);
  if (text.length === 0) {
    ctx.refuse(from, session, 'nothing-printable', wire.NOTHING_PRINTABLE);
    return;
  }
  const payload = encodeLine(wire.chat(session.nick, text));
  if (payload.byteLength > MAX_DATAGRAM_BYTES) {
    ctx.refuse(from, session, 'line-too-long', wire.lineTooManyBytes(MAX_DATAGRAM_BYTES));
    return;
  }
  const recipients = ctx.broadcast(payload, session);
  ctx.emit({ type: 'relayed', address: from, nick: session.nick, recipients });
}
