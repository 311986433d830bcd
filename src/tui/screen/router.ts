/**
 * Where each thing the relay says goes: a room's lines to its buffer, private messages to a buffer per
 * partner, presence into the buffers of the rooms it concerns (collapsed), a quit or rename to every buffer
 * that knows the nick, and answers to commands to the buffer the user is looking at. What a notice means
 * comes from the client library (readNotice); this file only decides where it is shown.
 */
import type {
  ActionEvent,
  ChatEvent,
  E2eStatus,
  GapFilledEvent,
  HistoryEndEvent,
  HistoryEvent,
  NoticeEvent,
  PrivateEvent,
} from '../../client/events.ts';
import { type NoticeMeaning, readNotice } from '../../client/notice-meaning.ts';
import { LOBBY } from '../../protocol/messages.ts';
import type { ChatBuffer } from './buffers.ts';
import type { PresenceItem } from './lines.ts';
import type { ChatModel } from './model.ts';
import type { RoomSync } from './room-sync.ts';

export class EventRouter {
  /** Counts lines spoken, so nick completion can offer the latest speakers first. */
  private turn = 0;
  /** Every room name seen in a notice (a /rooms list, an invitation), for Tab completion. */
  readonly seenRooms = new Set<string>();

  constructor(
    private readonly model: ChatModel,
    private readonly rooms: RoomSync,
    /** Our nick now (it changes with /nick). */
    private readonly nick: () => string,
  ) {}

  welcome(line: string): void {
    this.model.add(this.lobby(), { kind: 'notice', text: line.slice(4, -4) });
  }

  chat(event: ChatEvent | ActionEvent): void {
    const buffer = this.model.buffers.ensure('room', event.room);
    this.spoke(buffer, event.nick);
    const mention = mentions(event.text, this.nick());
    const { nick, text } = event;
    this.model.add(buffer, { kind: event.type, nick, text, own: false, mention, ...sealedMark(event.e2e) });
  }

  /** A line of history goes to its room, marked as history (line-view.ts draws it apart). */
  history(event: HistoryEvent): void {
    const buffer = this.model.buffers.ensure('room', event.room);
    const { nick, text, action } = event;
    const said = new Date(event.at);
    this.model.add(buffer, { kind: 'history', nick, text, action, said, ...sealedMark(event.e2e) });
  }

  /** The end of an answer to /history: said once, quietly. */
  historyEnd(event: HistoryEndEvent): void {
    const buffer = this.model.buffers.ensure('room', event.room);
    const more = event.more ? `; /history ${event.room} before <id> for older` : '';
    this.model.add(buffer, {
      kind: 'local',
      text: `end of history (${linesOf(event.count)})${more}`,
      tone: 'info',
    });
  }

  /** Where a reconnect's gap was: the lines missed follow this marker. */
  gapFilled(event: GapFilledEvent): void {
    const buffer = this.model.buffers.ensure('room', event.room);
    const text =
      event.count === 0
        ? 'nothing was said here while you were away'
        : `${linesOf(event.count)}${event.more ? ' (and more: /history pages back)' : ''} while you were away`;
    this.model.add(buffer, { kind: 'local', text, tone: 'info' });
  }

  /** A private message always counts as a mention: it was written to us. */
  private(event: PrivateEvent): void {
    const buffer = this.model.buffers.ensure('dm', event.nick);
    // The partner's nick as they spell it now (a buffer opened by /query may have guessed the case).
    buffer.name = event.nick;
    this.spoke(buffer, event.nick);
    const kind = event.action ? 'action' : 'chat';
    this.model.add(buffer, { kind, nick: event.nick, text: event.text, own: false, mention: true });
  }

  raw(line: string): void {
    this.model.add(this.model.focused, { kind: 'raw', text: line });
  }

  notice(event: NoticeEvent): void {
    for (const room of event.text.match(ROOM_NAME) ?? []) this.seenRooms.add(room);
    const meaning = readNotice(event.text);
    const room = event.room === null ? null : this.model.buffers.ensure('room', event.room);
    if (this.presence(meaning, room)) return;
    const target = this.noticeTarget(meaning, room);
    if (target === null) return;
    this.model.add(target, { kind: 'notice', text: event.text });
  }

  /** Joins, parts, quits and renames: collapsed presence lines. True when `meaning` was one. */
  private presence(meaning: NoticeMeaning, room: ChatBuffer | null): boolean {
    switch (meaning.kind) {
      case 'joined': {
        const buffer = room ?? this.lobby();
        buffer.nicks.add(meaning.nick);
        this.model.presence(buffer, { kind: 'joined', nick: meaning.nick });
        return true;
      }
      case 'left':
        if (room !== null) {
          room.nicks.remove(meaning.nick);
          this.model.presence(room, { kind: 'left', nick: meaning.nick, reason: meaning.reason });
        } else this.everywhere(meaning.nick, { kind: 'quit', nick: meaning.nick, reason: meaning.reason });
        return true;
      case 'timed-out':
        this.everywhere(meaning.nick, { kind: 'timed-out', nick: meaning.nick });
        return true;
      case 'renamed':
        this.renamed(meaning.from, meaning.to);
        return true;
      default:
        return false;
    }
  }

  /** The buffer a notice belongs in, after updating what it tells (topics, members); null: shown already. */
  private noticeTarget(meaning: NoticeMeaning, room: ChatBuffer | null): ChatBuffer | null {
    const here = room ?? this.model.focused;
    switch (meaning.kind) {
      case 'members':
        for (const nick of meaning.nicks) (room ?? this.lobby()).nicks.add(nick);
        return room ?? this.lobby();
      case 'topic':
        (room ?? this.lobby()).topic = meaning.topic;
        return room ?? this.lobby();
      case 'kicked':
        (room ?? this.lobby()).nicks.remove(meaning.nick);
        return room ?? this.lobby();
      case 'killed':
        for (const buffer of this.knowing(meaning.nick)) {
          buffer.nicks.remove(meaning.nick);
          if (buffer !== here) this.model.add(buffer, { kind: 'notice', text: `${meaning.nick} was killed` });
        }
        return here;
      case 'you-joined':
        return this.model.buffers.ensure('room', meaning.room);
      case 'you-left':
        return this.youLeft(meaning.room);
      case 'welcome':
        // The answer to a repeated /join (a reconnect sends several): nothing new if it is us.
        return meaning.nick === this.nick() ? null : here;
      case 'now-talking':
        return this.rooms.expectedSwitch(meaning.room)
          ? null
          : this.model.buffers.ensure('room', meaning.room);
      case 'server-going-down':
        for (const buffer of this.model.buffers.all())
          if (buffer !== here) this.model.add(buffer, { kind: 'notice', text: 'server going down' });
        return here;
      default:
        return here;
    }
  }

  /** We parted a room: its buffer closes (as /part closes an irssi window); the news shows where we are. */
  private youLeft(room: string): ChatBuffer {
    const buffer = this.model.buffers.find('room', room);
    if (buffer !== undefined) this.model.buffers.close(buffer);
    return this.model.focused;
  }

  /** A quit or time-out: shown in every buffer that had the nick (or the lobby if none did). */
  private everywhere(nick: string, item: PresenceItem): void {
    const buffers = this.knowing(nick);
    for (const buffer of buffers) {
      buffer.nicks.remove(nick);
      this.model.presence(buffer, item);
    }
    if (buffers.length === 0) this.model.presence(this.lobby(), item);
  }

  private renamed(from: string, to: string): void {
    const item: PresenceItem = { kind: 'renamed', nick: from, to };
    const buffers = this.knowing(from);
    for (const buffer of buffers) {
      buffer.nicks.rename(from, to);
      if (buffer.kind === 'dm' && this.model.buffers.find('dm', to) === undefined) buffer.name = to;
      this.model.presence(buffer, item);
    }
    if (buffers.length === 0) this.model.presence(this.lobby(), item);
  }

  /** Room buffers whose member list has the nick, and the private buffer with it. */
  private knowing(nick: string): ChatBuffer[] {
    return this.model.buffers
      .all()
      .filter(
        (buffer) =>
          buffer.nicks.has(nick) ||
          (buffer.kind === 'dm' && buffer.name.toLowerCase() === nick.toLowerCase()),
      );
  }

  private spoke(buffer: ChatBuffer, nick: string): void {
    this.turn += 1;
    buffer.nicks.spoke(nick, this.turn);
  }

  private lobby(): ChatBuffer {
    return this.model.buffers.ensure('room', LOBBY);
  }
}

/** A room name in running text: `#` and what follows up to a space or punctuation around it. */
const ROOM_NAME = /#[^\s,;:()]+/gu;

/** True when `text` names `nick` as a word (case-insensitive): `alice:`, `@alice` and `hi alice!` do. */
export function mentions(text: string, nick: string): boolean {
  if (nick === '') return false;
  const escaped = nick.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_-])${escaped}($|[^\\p{L}\\p{N}_-])`, 'iu').test(text);
}

function linesOf(count: number): string {
  return count === 1 ? '1 line' : `${count} lines`;
}

/** An end-to-end line that opened is marked; one that did not says so in its text (room-keyring.ts). */
function sealedMark(e2e: E2eStatus | undefined): { readonly sealed?: true } {
  return e2e === 'opened' || e2e === 'repeated' ? { sealed: true } : {};
}
