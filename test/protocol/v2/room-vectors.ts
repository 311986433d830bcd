/** The spec's end-to-end room vectors (docs/PROTOCOL-v2.md, "Test vectors"), from a fixed passphrase and nonce. */
import { openRoomLine, sealRoomLine } from '../../../src/protocol/room-cipher.ts';
import { passphraseKey, RoomKey, roomKeySalt } from '../../../src/protocol/room-key.ts';
import { openAead } from '../../../src/protocol/v2/aead.ts';
import { ByteWriter } from '../../../src/protocol/v2/bytes.ts';
import type { VectorValue } from './wire3-vectors.ts';

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export const ROOM_INPUTS = {
  passphrase: 'correct horse battery staple',
  room: '#Rust',
  nick: 'alice',
  seq: 0,
  text: 'the borrow checker is my friend',
  nonce: new Uint8Array(Buffer.from('000102030405060708090a0b', 'hex')),
};

/** The associated data as the spec spells it out, built here independently of room-cipher.ts. */
function associatedData(keyId: Uint8Array): Uint8Array {
  const label = new TextEncoder().encode('udpchat e2e line v1');
  const room = new TextEncoder().encode('#rust');
  const nick = new TextEncoder().encode(ROOM_INPUTS.nick);
  const size = label.byteLength + 2 + room.byteLength + 2 + nick.byteLength + 1 + 4 + 4;
  const writer = new ByteWriter(size)
    .raw(label)
    .u16(room.byteLength)
    .raw(room)
    .u16(nick.byteLength)
    .raw(nick);
  return writer.u8(1).raw(keyId).u32(ROOM_INPUTS.seq).bytes;
}

export async function roomVectors(): Promise<Map<string, VectorValue>> {
  const out = new Map<string, VectorValue>();
  const salt = roomKeySalt(ROOM_INPUTS.room);
  const secret = await passphraseKey(ROOM_INPUTS.passphrase, salt);
  const key = RoomKey.fromSecret(secret);
  const context = { room: ROOM_INPUTS.room, nick: ROOM_INPUTS.nick };
  const line = sealRoomLine(
    key,
    context,
    { seq: ROOM_INPUTS.seq, kind: 'message', text: ROOM_INPUTS.text },
    ROOM_INPUTS.nonce,
  );
  const opened = openRoomLine([key], context, line);
  if (opened.type !== 'line' || opened.text !== ROOM_INPUTS.text)
    throw new Error('the room vector did not open');
  out.set('room passphrase', { text: ROOM_INPUTS.passphrase });
  out.set('room name', { text: ROOM_INPUTS.room });
  out.set('room salt', { text: new TextDecoder().decode(salt) });
  out.set('room key', { hex: toHex(secret) });
  out.set('room key id', { hex: toHex(key.keyId) });
  out.set('room line key', { hex: toHex(new Uint8Array(key.lineKey.export())) });
  out.set('room line nonce', { hex: toHex(ROOM_INPUTS.nonce) });
  const ad = associatedData(key.keyId);
  const payload = Buffer.from(line.slice('[e2e] '.length), 'base64url');
  if (openAead(key.lineKey, ROOM_INPUTS.nonce, payload.subarray(21), ad) === null) {
    throw new Error('the room line does not open under the associated data the spec describes');
  }
  out.set('room line ad', { hex: toHex(ad) });
  out.set('room line', { text: line });
  return out;
}
