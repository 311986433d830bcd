/**
 * Which room a dual-path client's next plain line is for, so that only lobby lines go on the LAN. The
 * relay's current room is not enough: a UI switches the relay just before it sends from another room
 * (`/switch #rust`, then the line, in one turn), and the relay confirms later, or never while it is lost
 * (the switch is refused then). So the room of the latest `/switch` or `/join` asked for wins until the
 * relay's current room is that room. A line typed in #rust must never reach the LAN's lobby in clear.
 */
import { firstWord, parseLine } from '../../protocol/command-line.ts';

export class NextLineRoom {
  private requested: string | null = null;

  /** A line about to be said (whatever becomes of it): a `/switch #room` or `/join #room` moves the target. */
  saying(text: string): void {
    const parsed = parseLine(text);
    if (parsed.kind !== 'command' || (parsed.name !== 'switch' && parsed.name !== 'join')) return;
    const [room] = firstWord(parsed.args);
    if (room.startsWith('#')) this.requested = room.toLowerCase();
  }

  /** The relay's rooms news: once it talks in the room asked for, its word is enough again. */
  relayTalksIn(current: string | null): void {
    if (current !== null && current.toLowerCase() === this.requested) this.requested = null;
  }

  /** The room a plain line said now goes to, lower-cased; null when the relay has us in none. */
  room(relayCurrent: string | null): string | null {
    return this.requested ?? relayCurrent?.toLowerCase() ?? null;
  }
}
