/**
 * LanPeer: serverless chat among everyone in a multicast group, as a sans-I/O state machine like
 * ../client/session.ts. It never touches a socket, a timer or the clock: time comes in as milliseconds,
 * datagrams for the group go out as bytes, and what the user should see comes out as typed events.
 *
 * Every datagram carries our sender id and the next sequence number (../protocol/lan/index.ts has the
 * format). Receivers put each sender's datagrams back in order, drop duplicates, report lost lines, learn
 * presence from announcements, and resolve nick collisions the same way everywhere (nick-resolver.ts).
 */
import type { Address } from '../protocol/address.ts';
import type { LanKind } from '../protocol/lan/datagram.ts';
import { OUTBOUND_LINE_BURST, OUTBOUND_LINE_RATE } from '../protocol/lan/limits.ts';
import type { MessageId } from '../protocol/lan/message-id.ts';
import { TokenBucket } from '../relay/token-bucket.ts';
import { AnnounceSchedule } from './announce-schedule.ts';
import { displayEvents } from './display-events.ts';
import type { LanEvent, LanOutput, LanStats, LanWhoEntry } from './events.ts';
import { LocalSender } from './local-sender.ts';
import { NickResolver } from './nick-resolver.ts';
import { type LanPeerOptions, type LanPeerSettings, lanPeerSettings } from './options.ts';
import { type LanFootprint, LanReceiver } from './receiver.ts';
import { checkTypedText, encodeRefusal, INACTIVE_REFUSAL, throttledRefusal } from './say-check.ts';

export type { LanPeerOptions } from './options.ts';

type PeerState = 'new' | 'active' | 'left';

function emptyOutput(): LanOutput {
  return { datagrams: [], events: [] };
}

export class LanPeer {
  private readonly settings: LanPeerSettings;
  private readonly local: LocalSender;
  private readonly ownIds = new Set<string>();
  private readonly resolver = new NickResolver();
  private readonly schedule: AnnounceSchedule;
  private readonly receiver: LanReceiver;
  /** Created at time 0: the bucket starts full whenever the first line comes. */
  private readonly outgoing = new TokenBucket(
    { burst: OUTBOUND_LINE_BURST, perSecond: OUTBOUND_LINE_RATE },
    0,
  );
  private state: PeerState = 'new';

  constructor(options: LanPeerOptions) {
    this.settings = lanPeerSettings(options);
    const { nick, claimedAt, key, random, firstSequence } = this.settings;
    this.local = new LocalSender({ nick, claimedAt, key, random, firstSequence });
    this.ownIds.add(this.local.senderId);
    this.schedule = new AnnounceSchedule(random);
    this.receiver = new LanReceiver(
      {
        key,
        resolver: this.resolver,
        selfId: () => this.local.senderId,
        isOwn: (senderId) => this.ownIds.has(senderId),
      },
      0,
    );
  }

  /** Our sender id now (16 hex digits); a new one after a sequence wrap. */
  get senderId(): string {
    return this.local.senderId;
  }

  get nick(): string {
    return this.settings.nick;
  }

  /** The name the others show us under: our nick, or nick#abcd when an earlier claim holds it. */
  get shownAs(): string {
    return this.resolver.shownAs(this.local.senderId) ?? this.settings.nick;
  }

  get stats(): Readonly<LanStats> {
    return this.receiver.stats;
  }

  /** Announces us to the group; the first of the two start-up announcements. */
  start(now: number): LanOutput {
    const out = emptyOutput();
    if (this.state !== 'new') return out;
    this.state = 'active';
    this.claimOwnNick(out.events);
    this.schedule.start(now);
    this.announceIfDue(now, out);
    return out;
  }

  /** One datagram received from the group (`from` is its source address). */
  handle(now: number, from: Address, bytes: Uint8Array): LanOutput {
    const out = emptyOutput();
    if (this.state !== 'active') return out;
    this.receiver.handle(now, from, bytes, out.events);
    if (out.events.some((event) => event.type === 'joined')) this.schedule.answerNewcomer(now);
    return out;
  }

  /** Whatever is due at `now`: an announcement, held datagrams whose wait is over, time-outs. */
  tick(now: number): LanOutput {
    const out = emptyOutput();
    if (this.state !== 'active') return out;
    this.announceIfDue(now, out);
    this.receiver.tick(now, out.events);
    return out;
  }

  /** When tick() next has something to do, or null when nothing is scheduled. */
  nextTickAt(): number | null {
    if (this.state !== 'active') return null;
    const due = [this.schedule.dueAt, this.receiver.nextDeadline()].filter((at) => at !== null);
    return due.length === 0 ? null : Math.min(...due);
  }

  /** A room line typed by the user; refused (never truncated) with a `refused` event. */
  say(now: number, text: string): LanOutput {
    return this.sendText(now, 'line', text);
  }

  /** An action (`/me text`). */
  act(now: number, text: string): LanOutput {
    return this.sendText(now, 'action', text);
  }

  /** `/quit`: one leave datagram; the peer then neither sends nor receives. */
  leave(_now: number): LanOutput {
    const out = emptyOutput();
    if (this.state !== 'active') return out;
    this.state = 'left';
    this.schedule.stop();
    const sent = this.local.send('leave');
    if (sent.ok) out.datagrams.push(...sent.datagrams);
    return out;
  }

  /** /who, from what was heard: the present senders and ourselves, by shown name. */
  who(now: number): LanWhoEntry[] {
    const self: LanWhoEntry = {
      senderId: this.local.senderId,
      nick: this.settings.nick,
      shownAs: this.shownAs,
      self: true,
      lastHeardAt: now,
      address: null,
    };
    const others = this.receiver.present().map(
      (sender): LanWhoEntry => ({
        senderId: sender.senderId,
        nick: sender.nick,
        shownAs: this.resolver.shownAs(sender.senderId) ?? sender.nick,
        self: false,
        lastHeardAt: sender.lastHeardAt,
        address: sender.address,
      }),
    );
    return [self, ...others].sort((a, b) => compareText(a.shownAs, b.shownAs));
  }

  /** Dual path: whether message `id` was shown already (through the LAN or through the relay). */
  hasShown(id: MessageId): boolean {
    return this.receiver.hasShown(id);
  }

  /** Dual path: the relay copy of `id` was shown; its LAN copy will be dropped. */
  markShown(id: MessageId): void {
    this.receiver.markShown(id);
  }

  /** What the peer holds about others; every figure is bounded (../protocol/lan/limits.ts). */
  footprint(): LanFootprint {
    return this.receiver.footprint();
  }

  private sendText(now: number, kind: LanKind, raw: string): LanOutput {
    const out = emptyOutput();
    if (this.state !== 'active') {
      out.events.push({ type: 'refused', refusal: INACTIVE_REFUSAL });
      return out;
    }
    const checked = checkTypedText(raw);
    if (!checked.ok) {
      out.events.push({ type: 'refused', refusal: checked.refusal });
      return out;
    }
    // Peeked first: a line that then fails to encode must not spend a token.
    if (!this.outgoing.peek(now)) {
      out.events.push({
        type: 'refused',
        refusal: throttledRefusal(OUTBOUND_LINE_BURST, OUTBOUND_LINE_RATE),
      });
      return out;
    }
    const sent = this.local.send(kind, checked.text);
    if (!sent.ok) {
      out.events.push({ type: 'refused', refusal: encodeRefusal(sent.error) });
      return out;
    }
    this.outgoing.take(now);
    this.sentDatagrams(sent.datagrams, out);
    return out;
  }

  private announceIfDue(now: number, out: LanOutput): void {
    if (!this.schedule.due(now)) return;
    const sent = this.local.send('announce');
    if (sent.ok) this.sentDatagrams(sent.datagrams, out);
  }

  /** A sequence wrap gives us a new sender id: our claim moves with it. */
  private sentDatagrams(datagrams: Uint8Array[], out: LanOutput): void {
    out.datagrams.push(...datagrams);
    if (this.ownIds.has(this.local.senderId)) return;
    const previous = [...this.ownIds].at(-1);
    this.ownIds.add(this.local.senderId);
    if (previous !== undefined) this.resolver.release(previous);
    this.claimOwnNick(out.events);
  }

  private claimOwnNick(out: LanEvent[]): void {
    const { nick, nickKey, claimedAt } = this.settings;
    const changes = this.resolver.claim(this.local.senderId, { nick, key: nickKey, claimedAt });
    displayEvents(changes, this.local.senderId, this.local.senderId, out);
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
