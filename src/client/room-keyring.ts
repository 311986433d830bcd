/**
 * The client's side of end-to-end passphrase rooms (docs/PROTOCOL-v2.md 13): the room keys it holds, the
 * count of lines it sealed per room since it joined it, and the last count it saw from each member. Pure:
 * the keys come derived (scrypt runs in the binding), the nonces come from the binding's randomness.
 *
 * Sealing turns a line or a /me for a room we hold a key for into a `[e2e] ...` chat line; opening turns a
 * relayed, historic or gap-filled line back into the text, marked, or into what 13.3 says a member sees
 * when it cannot open it. Plain lines pass through untouched.
 */
import { utf8Length } from '../protocol/codec.ts';
import { spokenLine } from '../protocol/history-messages.ts';
import { maxRoomTextBytes, openRoomLine, type RoomLineKind, sealRoomLine } from '../protocol/room-cipher.ts';
import { normaliseRoomName, type RoomKey } from '../protocol/room-key.ts';
import {
  FAILED_TO_VERIFY,
  NEWER_FORMAT,
  noRoomKey,
  OPENED_MARK,
  otherPassphrase,
  REPEATED,
} from '../protocol/room-messages.ts';
import { sanitizeText } from '../protocol/sanitize.ts';
import type { ActionEvent, ChatEvent, ClientEvent, E2eStatus, HistoryEvent } from './events.ts';
import type { RoomLineSealer, SealResult } from './room-sealer.ts';

/** The largest seq (u32): a sender that reaches it must join the room again. */
const MAX_SEQ = 0xffff_ffff;

type RoomLineEvent = ChatEvent | ActionEvent | HistoryEvent;

export class RoomKeyring implements RoomLineSealer {
  /** Per normalised room, the keys held, the newest first (older ones still open the history). */
  private readonly keys = new Map<string, RoomKey[]>();
  /** Our next seq per normalised room. */
  private readonly nextSeq = new Map<string, number>();
  /** The last seq seen per normalised room and lowercased nick, since that nick joined the room. */
  private readonly lastSeen = new Map<string, number>();
  /** Per normalised room, the ticket of the key being derived for it: its lines wait for that key. */
  private readonly pending = new Map<string, number>();
  private lastTicket = 0;

  /** Lines said in `room` are sealed under `key` from now on; a key held before still opens. */
  hold(room: string, key: RoomKey): void {
    const name = normaliseRoomName(room);
    const older = (this.keys.get(name) ?? []).filter((held) => Buffer.compare(held.keyId, key.keyId) !== 0);
    this.keys.set(name, [key, ...older]);
  }

  /**
   * A key for `room` is being derived (scrypt takes a while): until `derived` is called with the ticket
   * returned, lines said in the room are refused, neither sent in clear nor sealed under an older key.
   */
  deriving(room: string): number {
    this.lastTicket += 1;
    this.pending.set(normaliseRoomName(room), this.lastTicket);
    return this.lastTicket;
  }

  /**
   * The derivation of `ticket` ended (with a key or an error). False when it no longer counts: the room's
   * keys were forgotten, or another derivation began, meanwhile; its key must then not be held.
   */
  derived(room: string, ticket: number): boolean {
    const name = normaliseRoomName(room);
    if (this.pending.get(name) !== ticket) return false;
    this.pending.delete(name);
    return true;
  }

  /** Forgets every key of `room`, and one being derived: its lines are said in clear again. */
  forget(room: string): boolean {
    const name = normaliseRoomName(room);
    const deriving = this.pending.delete(name);
    return this.keys.delete(name) || deriving;
  }

  /** True when lines said in `room` are sealed (or wait for the key being derived). */
  seals(room: string): boolean {
    const name = normaliseRoomName(room);
    return this.keys.has(name) || this.pending.has(name);
  }

  /** True when we hold a key for `room` (not only one being derived). */
  holds(room: string): boolean {
    return this.keys.has(normaliseRoomName(room));
  }

  /** We joined `room` (or registered again, for the lobby): our count restarts and others' are forgotten. */
  joined(room: string): void {
    const name = normaliseRoomName(room);
    this.nextSeq.delete(name);
    for (const key of [...this.lastSeen.keys()]) if (key.startsWith(`${name}\n`)) this.lastSeen.delete(key);
  }

  /** A fresh registration: the relay forgot every room we were in, so every count starts again. */
  registered(): void {
    this.nextSeq.clear();
    this.lastSeen.clear();
  }

  /** `nick` joined `room`: its count starts again at 0. */
  memberJoined(room: string, nick: string): void {
    this.lastSeen.delete(seenKey(room, nick));
  }

  /**
   * `text` sealed for `room` as the relay will stamp it (`nick`), or why it cannot be; null when we hold
   * no key for the room (the line goes in clear). `nonce` is 12 fresh random bytes.
   */
  seal(room: string, nick: string, kind: RoomLineKind, text: string, nonce: Uint8Array): SealResult | null {
    const name = normaliseRoomName(room);
    if (this.pending.has(name)) {
      const message = `the key for ${room} is still being derived: say it again in a moment`;
      return { ok: false, error: { code: 'key-pending', message } };
    }
    const key = this.keys.get(name)?.[0];
    if (key === undefined) return null;
    const context = { room, nick };
    const max = maxRoomTextBytes(context);
    const bytes = utf8Length(text);
    if (bytes > max) {
      const message = `encrypted line not sent: ${bytes} bytes of text (max ${max} in ${room})`;
      return { ok: false, error: { code: 'too-long', message, chars: bytes, max } };
    }
    const seq = this.nextSeq.get(name) ?? 0;
    if (seq > MAX_SEQ) {
      const message = `${room} has had 2^32 encrypted lines from you: /join it again to go on`;
      return { ok: false, error: { code: 'inactive', message } };
    }
    this.nextSeq.set(name, seq + 1);
    return { ok: true, line: sealRoomLine(key, context, { seq, kind, text }, nonce) };
  }

  /** A room line as a member sees it (13.3); any other event, and any plain line, unchanged. */
  open(event: ClientEvent): ClientEvent {
    if (event.type !== 'chat' && event.type !== 'action' && event.type !== 'history') return event;
    const opened = openRoomLine(this.heldFor(event.room), { room: event.room, nick: event.nick }, event.text);
    switch (opened.type) {
      case 'plain':
        return event;
      case 'line': {
        const repeated = event.type !== 'history' && this.repeated(event, opened.seq);
        // The relay could not sanitise what it could not read: done here, as for any relayed line.
        const text = sanitizeText(opened.text);
        return shown(
          event,
          opened.kind,
          repeated ? `${text} ${REPEATED}` : text,
          repeated ? 'repeated' : 'opened',
        );
      }
      case 'unknown-key':
        return this.holds(event.room)
          ? shown(event, kindOf(event), otherPassphrase(event.room), 'other-passphrase')
          : shown(event, kindOf(event), noRoomKey(event.room), 'no-key');
      case 'forged':
        return shown(event, kindOf(event), FAILED_TO_VERIFY, 'forged');
      case 'unsupported':
        return shown(event, kindOf(event), NEWER_FORMAT, 'newer-format');
    }
  }

  private heldFor(room: string): readonly RoomKey[] {
    return this.keys.get(normaliseRoomName(room)) ?? [];
  }

  /** 13.3: a live line whose seq is not above the last one seen from its sender since it joined. */
  private repeated(event: ChatEvent | ActionEvent, seq: number): boolean {
    const key = seenKey(event.room, event.nick);
    const last = this.lastSeen.get(key);
    if (last !== undefined && seq <= last) return true;
    this.lastSeen.set(key, seq);
    return false;
  }
}

function seenKey(room: string, nick: string): string {
  return `${normaliseRoomName(room)}\n${nick.toLowerCase()}`;
}

function kindOf(event: RoomLineEvent): RoomLineKind {
  return event.type === 'action' || (event.type === 'history' && event.action) ? 'action' : 'message';
}

/**
 * The event with the text a member is shown, of the kind sealed inside, and its `line` as a line filter
 * prints it: the relay's prefix (`[#room] `, `[history ...] `), then the mark for an opened line, where no
 * sender can put text (before the nick the relay stamps), then the line as it was said.
 */
function shown(event: RoomLineEvent, kind: RoomLineKind, text: string, e2e: E2eStatus): RoomLineEvent {
  const said = spokenLine(kindOf(event) === 'action' ? 'action' : 'say', event.nick, event.text);
  const head = event.line.endsWith(said) ? event.line.slice(0, event.line.length - said.length) : '';
  const mark = e2e === 'opened' || e2e === 'repeated' ? `${OPENED_MARK} ` : '';
  const line = `${head}${mark}${spokenLine(kind === 'action' ? 'action' : 'say', event.nick, text)}`;
  if (event.type === 'history') return { ...event, text, action: kind === 'action', line, e2e };
  const type = kind === 'action' ? 'action' : 'chat';
  return { ...event, type, text, line, e2e };
}
