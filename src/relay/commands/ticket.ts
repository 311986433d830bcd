/**
 * `/ticket <client key>` (docs/PROTOCOL-v2.md, section 16): a joined v2 session asks for a resumption
 * ticket that only the holder of this Ed25519 key may present. The relay answers
 * `*** resume ticket <ticket> ***`; a v1 client, a stream client or a relay that offers no resumption gets
 * one clear refusal. Asking again (after a room change, before expiry) gives a fresh ticket.
 */
import { firstWord } from '../../protocol/command-line.ts';
import {
  fromBase64Url,
  TICKET_REFUSED,
  TICKET_USAGE,
  ticketLine,
  toBase64Url,
} from '../../protocol/resume-messages.ts';
import { IDENTITY_KEY_BYTES } from '../../protocol/v2/protected-limits.ts';
import type { RelayContext } from '../context.ts';
import { isV2Session } from '../peer.ts';
import { ticketNode } from '../resume/restore.ts';
import type { Session } from '../session.ts';
import type { CommandInput, SessionCommand } from './command.ts';

/** Base64url of 32 bytes is 43 characters; anything much longer is not a key and is not decoded. */
const MAX_KEY_CHARS = 64;

function handleTicket(ctx: RelayContext, session: Session, input: CommandInput): void {
  const resumption = ctx.resumption;
  if (!isV2Session(session.address) || resumption === null || !resumption.issues) {
    ctx.refuse(session.address, session, 'no-ticket', TICKET_REFUSED);
    return;
  }
  const [word, rest] = firstWord(input.args);
  const clientKey = rest === '' && word.length <= MAX_KEY_CHARS ? fromBase64Url(word) : null;
  if (clientKey === null || clientKey.byteLength !== IDENTITY_KEY_BYTES) {
    ctx.refuse(session.address, session, 'usage', TICKET_USAGE);
    return;
  }
  const ticket = resumption.issue(session, clientKey, ticketNode(ctx), ctx.wallTime());
  if (ticket === null) return;
  // Kept so that this client's proven resumption on this same relay may replace this session.
  session.resumptionClient = toBase64Url(clientKey);
  ctx.send(session, ticketLine(toBase64Url(ticket)));
}

export const ticketCommand: SessionCommand = {
  name: 'ticket',
  syntax: '/ticket <client key>',
  summary: 'v2: a resumption ticket, to resume this session on another relay of the cluster',
  throttled: true,
  open: false,
  handle: handleTicket,
};
