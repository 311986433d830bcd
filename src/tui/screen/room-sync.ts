/**
 * Keeps the relay's idea of our rooms and the UI's buffers in step. The relay sends plain lines to our
 * *current* room, the UI to the *focused* buffer; rather than switching the relay on every buffer change
 * (a burst of /switch lines would trip its flood control), the relay is switched just before something is
 * sent from a room it is not talking in. Its "now talking in" answers to those switches are expected and
 * not shown. A room joined with /join gets the focus once the relay confirms it.
 */
import type { RoomsSnapshot } from '../../client/room-tracker.ts';
import type { ChatBuffer } from './buffers.ts';
import type { ChatModel } from './model.ts';

/** What this needs from ChatClient. */
export interface RoomClient {
  readonly rooms: RoomsSnapshot;
  switchRoom(room: string): { readonly ok: boolean };
}

export class RoomSync {
  private pendingFocus: string | null = null;
  private readonly expectedSwitches = new Set<string>();
  /** Where the relay talks once our latest /switch lands, until its rooms news arrives. */
  private assumedCurrent: string | null = null;

  constructor(
    private readonly client: RoomClient,
    private readonly model: ChatModel,
  ) {}

  /** The user typed `/join #room`: focus it when the relay confirms. */
  focusWhenJoined(room: string): void {
    this.pendingFocus = room.toLowerCase();
  }

  /** The relay's rooms changed: buffers follow (opened, marked joined or not), and a pending focus lands. */
  roomsChanged(snapshot: RoomsSnapshot): void {
    this.assumedCurrent = null;
    const joined = new Set(snapshot.rooms.map((room) => room.toLowerCase()));
    for (const room of snapshot.rooms) this.model.buffers.ensure('room', room);
    for (const buffer of this.model.buffers.all()) {
      if (buffer.kind === 'room') buffer.joined = joined.has(buffer.name.toLowerCase());
    }
    if (this.pendingFocus === null || !joined.has(this.pendingFocus)) return;
    const target = this.model.buffers.find('room', this.pendingFocus);
    this.pendingFocus = null;
    if (target !== undefined) this.model.buffers.focus(target);
  }

  /** Before sending from `buffer`: if it is a room the relay is not talking in, switch the relay to it. */
  beforeSend(buffer: ChatBuffer): void {
    if (buffer.kind !== 'room' || !buffer.joined) return;
    const current = this.assumedCurrent ?? this.client.rooms.current;
    if (current !== null && current.toLowerCase() === buffer.name.toLowerCase()) return;
    if (!this.client.switchRoom(buffer.name).ok) return;
    this.expectedSwitches.add(buffer.name.toLowerCase());
    this.assumedCurrent = buffer.name;
  }

  /** True (once) for the relay's answer to a switch made by beforeSend: it needs no showing. */
  expectedSwitch(room: string): boolean {
    return this.expectedSwitches.delete(room.toLowerCase());
  }
}
