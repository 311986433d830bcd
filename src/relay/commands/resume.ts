/**
 * `/resume <ticket> <proof>` (docs/PROTOCOL-v2.md, section 16): the first line of a new v2 session whose
 * relay was lost. The ticket must open under this cluster's key, be unexpired and unused, and the proof
 * must be the ticket's client key signing this new session's key; then the nick and rooms come back
 * (resume/restore.ts). Every failure is one specific refusal, and the client joins as usual instead.
 */
import type { Address } from '../../protocol/address.ts';
import { MAX_TICKET_BYTES } from '../../protocol/limits.ts';
import * as wire from '../../protocol/messages.ts';
import { fromBase64Url, type ResumeRefusal } from '../../protocol/resume-messages.ts';
import { PROOF_BYTES } from '../../protocol/v2/protected-limits.ts';
import { proofMatches } from '../../protocol/v2/resume-proof.ts';
import type { TicketContent } from '../../protocol/v2/resume-ticket.ts';
import type { RelayContext } from '../context.ts';
import { isV2Session, type SessionPeer } from '../peer.ts';
import { refuseResume, resumeSession } from '../resume/restore.ts';
import type { Resumption } from '../resume/resumption.ts';
import type { Session } from '../session.ts';
import type { CommandInput, OpenCommand } from './command.ts';

/** Base64url is 4/3 of the bytes; a longer word is not decoded at all. */
const MAX_TICKET_CHARS = Math.ceil((MAX_TICKET_BYTES * 4) / 3);
const MAX_PROOF_CHARS = Math.ceil((PROOF_BYTES * 4) / 3);

function handleResume(
  ctx: RelayContext,
  from: Address,
  session: Session | undefined,
  input: CommandInput,
): void {
  if (session !== undefined) {
    refuseResume(ctx, from, session, 'already joined');
    return;
  }
  if (!isV2Session(from)) {
    refuseResume(ctx, from, undefined, 'not a v2 session');
    return;
  }
  const resumption = ctx.resumption;
  if (resumption === null) {
    refuseResume(ctx, from, undefined, 'not offered here');
    return;
  }
  if (!admitHost(ctx, from)) return;
  const verdict = checkTicket(ctx, resumption, from, input.args);
  if (typeof verdict === 'string') {
    refuseResume(ctx, from, undefined, verdict);
    return;
  }
  resumption.spent.spend(verdict.resumptionId, verdict.expiresAt, ctx.wallTime());
  resumeSession(ctx, from, verdict);
}

/** The ticket's content when every check passes; otherwise why not, in the order the checks run. */
function checkTicket(
  ctx: RelayContext,
  resumption: Resumption,
  from: SessionPeer,
  args: string,
): TicketContent | ResumeRefusal {
  const words = args.trim().split(' ');
  const [ticketWord = '', proofWord = ''] = words;
  if (words.length !== 2 || ticketWord.length > MAX_TICKET_CHARS || proofWord.length > MAX_PROOF_CHARS)
    return 'bad ticket';
  const ticket = fromBase64Url(ticketWord);
  const proof = fromBase64Url(proofWord);
  const content = ticket === null ? null : resumption.open(ticket);
  if (content === null || proof === null) return 'bad ticket';
  if (content.expiresAt <= ctx.wallTime()) return 'expired';
  if (resumption.spent.has(content.resumptionId)) return 'already used';
  // Checked before the ticket is spent: a copied ticket with a bad proof must not use up the owner's.
  if (!proofMatches(content.clientKey, from.sessionKey, proof)) return 'bad proof';
  return content;
}

/** A resumption is a registration: the per-host cap and join rate hold for it as for `/join`. */
function admitHost(ctx: RelayContext, from: Address): boolean {
  const { maxPerAddress } = ctx.settings;
  if (maxPerAddress > 0 && ctx.sessions.countFromHost(from.host) >= maxPerAddress) {
    ctx.refuse(from, undefined, 'too-many-from-address', wire.TOO_MANY_FROM_ADDRESS);
    return false;
  }
  if (!ctx.hostLimits.joins.take(from.host, ctx.now)) {
    ctx.refuse(from, undefined, 'rate-limited', wire.TRY_LATER);
    return false;
  }
  return true;
}

export const resumeCommand: OpenCommand = {
  name: 'resume',
  syntax: '/resume <ticket> <proof>',
  summary: 'v2: resume a session from another relay of the cluster (the client sends it, not a person)',
  throttled: true,
  open: true,
  handle: handleResume,
};
