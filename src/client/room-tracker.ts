/**
 * Which rooms the relay has us in, and which one our plain lines go to, as far as its notices tell
 * (docs/PROTOCOL.md, "Rooms"). The relay is the authority: this only follows its confirmations, so a
 * reconnecting client knows what to rejoin and a UI knows where a plain line will land.
 */
import { LOBBY } from '../protocol/messages.ts';
import type { NoticeMeaning } from './notice-meaning.ts';

export interface RoomsSnapshot {
  /** In the order we joined them. */
  readonly rooms: readonly string[];
  /** Where plain lines go; null when the relay has us in no room (kicked out of the lobby). */
  readonly current: string | null;
}

export class RoomTracker {
  private readonly joined = new Set<string>();
  private currentRoom: string | null = null;

  get snapshot(): RoomsSnapshot {
    return { rooms: [...this.joined], current: this.currentRoom };
  }

  /** A fresh registration: every client starts in the lobby, talking there. */
  registered(): void {
    this.joined.clear();
    this.joined.add(LOBBY);
    this.currentRoom = LOBBY;
  }

  /** The relay dropped us (a /kill): we are in no room until we register again. */
  forgetAll(): void {
    this.joined.clear();
    this.currentRoom = null;
  }

  /**
   * Follows one notice; `room` is its `[#room] ` prefix (null for a lobby or relay-wide line), `nick` ours.
   * Returns true when the rooms or the current room changed.
   */
  observe(meaning: NoticeMeaning, room: string | null, nick: string): boolean {
    const before = this.key();
    this.apply(meaning, room ?? LOBBY, nick);
    return this.key() !== before;
  }

  private apply(meaning: NoticeMeaning, room: string, nick: string): void {
    switch (meaning.kind) {
      case 'you-joined':
      case 'now-talking':
        // "now talking in" is also the answer to a /join of a room we are already in: we are a member.
        this.joined.add(meaning.room);
        this.currentRoom = meaning.room;
        return;
      case 'you-left':
        this.joined.delete(meaning.room);
        this.currentRoom = meaning.current;
        return;
      case 'kicked':
        if (meaning.nick === nick) this.leave(room);
        return;
      case 'refused-room':
        this.leave(meaning.room);
        return;
      case 'you-were-killed':
        this.forgetAll();
        return;
      default:
        return;
    }
  }

  /** Out of a room without the relay naming a new current room (it sends "now talking in" if it moves). */
  private leave(room: string): void {
    this.joined.delete(room);
    if (this.currentRoom === room) this.currentRoom = null;
  }

  private key(): string {
    return `${[...this.joined].join(' ')}|${this.currentRoom ?? ''}`;
  }
}
