/**
 * What ClientSession asks of end-to-end rooms (docs/PROTOCOL-v2.md 13), as an interface: the session
 * seals and opens through it without importing the cipher, so a client built without node:crypto (the
 * browser's) carries none of it. RoomKeyring is the implementation ChatClient hands the session.
 */
import type { RoomLineKind } from '../protocol/room-cipher.ts';
import type { ClientEvent, SayError } from './events.ts';

export type SealResult =
  | { readonly ok: true; readonly line: string }
  | { readonly ok: false; readonly error: SayError };

export interface RoomLineSealer {
  /** True when lines said in `room` are sealed. */
  seals(room: string): boolean;
  /** `text` sealed for `room` as the relay will stamp it (`nick`), why not, or null without a key. */
  seal(room: string, nick: string, kind: RoomLineKind, text: string, nonce: Uint8Array): SealResult | null;
  /** A room line as a member sees it; any other event unchanged. */
  open(event: ClientEvent): ClientEvent;
  /** We joined `room`: our seq count restarts, and what we saw of others' is forgotten. */
  joined(room: string): void;
  /** A fresh registration: every count starts again. */
  registered(): void;
  /** `nick` joined `room`: its count starts again. */
  memberJoined(room: string, nick: string): void;
}
