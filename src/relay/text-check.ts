/**
 * The checks every line of user text goes through before anyone else sees it: its length, the one
 * sanitising pass, and the size of the datagram it will travel in. Used by plain lines, /me, /msg,
 * topics and reasons alike.
 */
import { codePointLength, encodeLine } from '../protocol/codec.ts';
import { MAX_LINE_CHARS, MAX_RELAYED_LINE_BYTES } from '../protocol/limits.ts';
import * as wire from '../protocol/messages.ts';
import { sanitizeText } from '../protocol/sanitize.ts';
import type { RelayContext } from './context.ts';
import type { RefusalReason } from './output.ts';
import type { Session } from './session.ts';

/** Checked text, or null when the sender has been told why it was refused. */
export function checkText(
  ctx: RelayContext,
  session: Session,
  raw: string,
  maxChars = MAX_LINE_CHARS,
): string | null {
  const chars = codePointLength(raw);
  if (chars > maxChars) return refused(ctx, session, 'line-too-long', wire.lineTooLong(chars, maxChars));
  const text = sanitizeText(raw);
  if (text.length === 0) return refused(ctx, session, 'nothing-printable', wire.NOTHING_PRINTABLE);
  return text;
}

/**
 * The encoded line, or null when it would not fit in one v1 datagram and one v2 LINE frame alike (the
 * sender is told, whichever protocol it speaks).
 */
export function fitDatagram(ctx: RelayContext, session: Session, line: string): Uint8Array | null {
  const payload = encodeLine(line);
  // The payload ends in the one-byte `\n`, which a LINE frame does not carry.
  if (payload.byteLength - 1 <= MAX_RELAYED_LINE_BYTES) return payload;
  return refused(ctx, session, 'line-too-long', wire.lineTooManyBytes(MAX_RELAYED_LINE_BYTES));
}

function refused(ctx: RelayContext, session: Session, reason: RefusalReason, line: string): null {
  ctx.refuse(session.address, session, reason, line);
  return null;
}
