/**
 * The exact text of every resumption line (docs/PROTOCOL-v2.md, section 16): the client's `/ticket` and
 * `/resume` commands and the relay's answers, in the `*** ... ***` notice shape. Tickets and keys travel
 * as unpadded base64url, which has no character a terminal or the line codec could misread.
 */
import { notice } from './messages.ts';

export const TICKET_COMMAND = '/ticket';
export const RESUME_COMMAND = '/resume';

/** `/ticket <client key>`: asks for a ticket that only the holder of this resumption key may present. */
export const askTicket = (clientKey: string): string => `${TICKET_COMMAND} ${clientKey}`;
/** `/resume <ticket> <proof>`: the first line of a new session that resumes one on another relay. */
export const resumeWith = (ticket: string, proof: string): string => `${RESUME_COMMAND} ${ticket} ${proof}`;

const TICKET_PREFIX = '*** resume ticket ';
export const ticketLine = (ticket: string): string => `${TICKET_PREFIX}${ticket} ***`;

const RESUMED_PREFIX = '*** resumed ';
/** Sent after the restored nick's welcome and rooms: `*** resumed alice from relay-a in #a #b ***`. */
export const resumed = (nick: string, node: string, rooms: readonly string[]): string =>
  `${RESUMED_PREFIX}${nick} from ${node}${rooms.length === 0 ? '' : ` in ${rooms.join(' ')}`} ***`;

/** Why a relay did not resume a session; the client then joins with its nick as usual. */
export type ResumeRefusal =
  | 'bad ticket'
  | 'expired'
  | 'already used'
  | 'bad proof'
  | 'nick in use'
  | 'already joined'
  | 'banned'
  | 'not a v2 session'
  | 'not offered here';

const REFUSED_PREFIX = '*** resume refused: ';
export const resumeRefused = (reason: ResumeRefusal): string => notice(`resume refused: ${reason}`);
export const TICKET_REFUSED = notice('no ticket: resumption is for v2 sessions of a relay that offers it');
export const TICKET_USAGE = notice('usage: /ticket <client key>');

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The ticket in a relay's `*** resume ticket ... ***` line, or null for any other line. */
export function readTicketLine(line: string): string | null {
  if (!line.startsWith(TICKET_PREFIX) || !line.endsWith(' ***')) return null;
  const ticket = line.slice(TICKET_PREFIX.length, -4);
  return BASE64URL.test(ticket) ? ticket : null;
}

/** What a relay's answer to `/resume` was, or null when the line is not one. */
export function readResumeAnswer(
  line: string,
):
  | { readonly kind: 'resumed'; readonly node: string }
  | { readonly kind: 'refused'; readonly reason: string }
  | null {
  if (line.startsWith(REFUSED_PREFIX) && line.endsWith(' ***'))
    return { kind: 'refused', reason: line.slice(REFUSED_PREFIX.length, -4) };
  if (!line.startsWith(RESUMED_PREFIX) || !line.endsWith(' ***')) return null;
  const words = line.slice(RESUMED_PREFIX.length, -4).split(' ');
  return words[1] === 'from' && words[2] !== undefined ? { kind: 'resumed', node: words[2] } : null;
}

/** Base64url without padding, the form tickets, keys and proofs take on the line. */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** The bytes of a base64url word, or null when it is not one. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text)) return null;
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
