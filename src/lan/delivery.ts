/**
 * What happens to a sender's datagrams once they come out of its reorder buffer, in its order: its nick
 * and presence are brought up to date, the lines given up on just before are reported as a gap, and then
 * the datagram does what it says (a line is shown once, a leave ends the sender).
 *
 * Lost lines are counted exactly: every datagram carries the sender's line number, so the lines among the
 * skipped datagrams are the difference between the line number expected and the one that arrived, less
 * the skipped lines that were already shown through the relay (dual path).
 */
import { carriesText } from '../protocol/lan/body.ts';
import type { MessageId } from '../protocol/lan/message-id.ts';
import { sanitizeText } from '../protocol/sanitize.ts';
import type { LanEvent, LanStats } from './events.ts';
import type { DisplayChange, NickResolver } from './nick-resolver.ts';
import type { HeldDatagram, RemoteSender } from './remote-sender.ts';
import type { Released } from './reorder-buffer.ts';
import type { ShownLog } from './shown-log.ts';

export interface DeliveryContext {
  readonly resolver: NickResolver;
  readonly shown: ShownLog;
  readonly stats: LanStats;
  /** The sender left: forget it, and drop anything it sends from now on. */
  readonly departed: (sender: RemoteSender) => void;
  readonly displayChanges: (
    changes: readonly DisplayChange[],
    out: LanEvent[],
    arriving?: string | null,
  ) => void;
}

export function deliver(
  context: DeliveryContext,
  sender: RemoteSender,
  released: readonly Released<HeldDatagram>[],
  out: LanEvent[],
): void {
  for (const item of released) {
    const { datagram } = item.item;
    sender.released += 1;
    updateName(context, sender, item.item, out);
    reportGap(context, sender, item, out);
    const id: MessageId = { senderId: sender.senderId, sequence: item.sequence };
    if (datagram.kind === 'leave') {
      leave(context, sender, id, out);
      return;
    }
    if (carriesText(datagram.kind)) showLine(context, sender, id, datagram.kind, datagram.text, out);
    else context.shown.mark(id);
  }
}

/**
 * Takes the datagram's nick. A sender becomes present on its second datagram or its first line (one forged
 * datagram makes nobody present), or on its first datagram when it is back from a time-out.
 */
function updateName(
  context: DeliveryContext,
  sender: RemoteSender,
  held: HeldDatagram,
  out: LanEvent[],
): void {
  const { datagram } = held;
  const renamed = sender.renames(held);
  sender.nick = datagram.nick;
  sender.nickKey = held.nickKey;
  sender.claimedAt = datagram.claimedAt;
  const claim = { nick: datagram.nick, key: held.nickKey, claimedAt: datagram.claimedAt };
  if (sender.present) {
    if (renamed) context.displayChanges(context.resolver.claim(sender.senderId, claim), out);
    return;
  }
  const arrives =
    datagram.kind !== 'leave' && (sender.released >= 2 || carriesText(datagram.kind) || sender.returning);
  if (!arrives) return;
  sender.present = true;
  const changes = context.resolver.claim(sender.senderId, claim);
  const nick = context.resolver.shownAs(sender.senderId) ?? datagram.nick;
  out.push({ type: 'joined', senderId: sender.senderId, nick });
  context.displayChanges(changes, out, sender.senderId);
}

function reportGap(
  context: DeliveryContext,
  sender: RemoteSender,
  item: Released<HeldDatagram>,
  out: LanEvent[],
): void {
  const { datagram } = item.item;
  const expected = sender.nextLine;
  const after = datagram.lineNumber + (carriesText(datagram.kind) ? 1 : 0);
  sender.nextLine = expected === null ? after : Math.max(expected, after);
  const skipped = item.sequence - item.skippedFrom;
  if (expected === null || skipped === 0) return;
  // An honest sender's skipped datagrams hold at most `skipped` lines; a forged line number cannot claim more.
  const linesSkipped = Math.min(Math.max(0, datagram.lineNumber - expected), skipped);
  const shownThroughRelay = context.shown.countShown(sender.senderId, item.skippedFrom, item.sequence);
  const lost = Math.max(0, linesSkipped - shownThroughRelay);
  if (lost === 0) return;
  context.stats.linesLost += lost;
  const nick = context.resolver.shownAs(sender.senderId) ?? sender.nick;
  out.push({ type: 'gap', senderId: sender.senderId, nick, count: lost });
}

function showLine(
  context: DeliveryContext,
  sender: RemoteSender,
  id: MessageId,
  kind: 'line' | 'action',
  raw: string,
  out: LanEvent[],
): void {
  // Shown already: its relay copy came first (dual path).
  if (context.shown.has(id)) {
    context.stats.duplicates++;
    return;
  }
  context.shown.mark(id);
  const text = sanitizeText(raw);
  if (text.length === 0) return;
  const nick = context.resolver.shownAs(sender.senderId) ?? sender.nick;
  out.push({ type: kind, id, nick, text });
}

function leave(context: DeliveryContext, sender: RemoteSender, id: MessageId, out: LanEvent[]): void {
  context.shown.mark(id);
  context.departed(sender);
  if (!sender.present) return;
  const nick = context.resolver.shownAs(sender.senderId) ?? sender.nick;
  const changes = context.resolver.release(sender.senderId);
  out.push({ type: 'left', senderId: sender.senderId, nick });
  context.displayChanges(changes, out);
}
