import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { codePointLength, utf8Length } from '../../src/protocol/codec.ts';
import { MAX_LINE_CHARS } from '../../src/protocol/limits.ts';
import {
  maxRoomTextBytes,
  openRoomLine,
  type RoomLineContext,
  sealRoomLine,
} from '../../src/protocol/room-cipher.ts';
import { RoomKey } from '../../src/protocol/room-key.ts';
import { MAX_LINE_TEXT_BYTES } from '../../src/protocol/v2/frame-codec.ts';

const KEY = RoomKey.fromSecret(new Uint8Array(32).fill(1));
const OTHER = RoomKey.fromSecret(new Uint8Array(32).fill(2));
const AT_RUST: RoomLineContext = { room: '#rust', nick: 'alice' };
const NONCE = new Uint8Array(12).fill(0x0e);

function seal(text: string, context = AT_RUST, seq = 0): string {
  return sealRoomLine(KEY, context, { seq, kind: 'message', text }, NONCE);
}

/** The line as the relay hands it to members: `[#room] <nick> body` (lobby lines have no room prefix). */
function relayed(context: RoomLineContext, body: string): string {
  return `${context.room === '#lobby' ? '' : `[${context.room}] `}<${context.nick}> ${body}`;
}

describe('end-to-end room lines', () => {
  it('seal to "[e2e] " and base64url, and open to the same line for a member with the key', () => {
    const line = sealRoomLine(KEY, AT_RUST, { seq: 7, kind: 'action', text: 'waves' }, NONCE);
    assert.match(line, /^\[e2e\] [A-Za-z0-9_-]+$/);
    assert.deepEqual(openRoomLine([OTHER, KEY], AT_RUST, line), {
      type: 'line',
      key: KEY,
      seq: 7,
      kind: 'action',
      text: 'waves',
    });
  });

  it('the text is not on the wire', () => {
    assert.equal(seal('the borrow checker').includes('borrow'), false);
  });

  it('a member with another passphrase sees the key id it does not hold', () => {
    assert.deepEqual(openRoomLine([OTHER], AT_RUST, seal('hi')), { type: 'unknown-key', keyId: KEY.keyId });
    assert.deepEqual(openRoomLine([], AT_RUST, seal('hi')), { type: 'unknown-key', keyId: KEY.keyId });
  });

  it('a line re-attributed to another nick, moved to another room, or altered does not open', () => {
    const line = seal('hi');
    assert.deepEqual(openRoomLine([KEY], { room: '#rust', nick: 'bob' }, line), { type: 'forged', key: KEY });
    assert.deepEqual(openRoomLine([KEY], { room: '#go', nick: 'alice' }, line), { type: 'forged', key: KEY });
    const tail = line.at(-2) === 'A' ? 'B' : 'A';
    assert.deepEqual(
      openRoomLine([KEY], AT_RUST, `${line.slice(0, -2)}${tail}${line.at(-1)}`).type,
      'forged',
    );
    assert.deepEqual(openRoomLine([KEY], { room: '#RUST', nick: 'alice' }, line).type, 'line');
  });

  it('ordinary chat, even one starting like a room line, is plain text', () => {
    for (const body of [
      'hello',
      '[e2e] hello there',
      '[e2e] ',
      '[e2e] AAAA',
      `${seal('x')}=`,
      `${seal('x')} `,
    ]) {
      assert.deepEqual(openRoomLine([KEY], AT_RUST, body), { type: 'plain' }, body);
    }
  });

  it('a payload of a later format is unsupported, not garbage', () => {
    const payload = Buffer.from(seal('x').slice(6), 'base64url');
    payload[0] = 2;
    assert.deepEqual(openRoomLine([KEY], AT_RUST, `[e2e] ${payload.toString('base64url')}`), {
      type: 'unsupported',
    });
  });

  it('holds 725 bytes of text for ASCII names, and the sealed line stays within 1,024 characters', () => {
    assert.equal(maxRoomTextBytes(AT_RUST), 725);
    const longest = { room: `#${'r'.repeat(32)}`, nick: 'n'.repeat(32) };
    assert.equal(maxRoomTextBytes(longest), 725);
    const line = seal('x'.repeat(725), longest);
    assert.ok(codePointLength(line) <= MAX_LINE_CHARS);
    assert.ok(utf8Length(relayed(longest, line)) <= MAX_LINE_TEXT_BYTES);
    assert.throws(() => seal('x'.repeat(726), longest), RangeError);
  });

  it('holds less when long non-ASCII names make the relayed line long, and still fits a LINE frame', () => {
    const wide = { room: `#${'𝕣'.repeat(32)}`, nick: '𝕟'.repeat(32) };
    const max = maxRoomTextBytes(wide);
    assert.ok(max < 725 && max > 600, String(max));
    const line = seal('x'.repeat(max), wide);
    assert.ok(utf8Length(relayed(wide, line)) <= MAX_LINE_TEXT_BYTES);
    assert.throws(() => seal('x'.repeat(max + 1), wide), RangeError);
  });

  it('every ASCII text up to the limit round-trips, in any room', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 725 }), fc.nat({ max: 0xffff_ffff }), (text, seq) => {
        fc.pre(!text.includes('\n') && utf8Length(text) <= 725);
        const line = sealRoomLine(KEY, AT_RUST, { seq, kind: 'message', text }, NONCE);
        const opened = openRoomLine([KEY], AT_RUST, line);
        assert.equal(opened.type, 'line');
        if (opened.type === 'line') assert.equal(opened.text, text.replace(/[\ud800-\udfff]/gu, '\ufffd'));
      }),
      { numRuns: 200 },
    );
  });

  it('opening never throws, on any body or any mutation of a real line', () => {
    const line = seal('a real line');
    fc.assert(
      fc.property(fc.string({ maxLength: 1100 }), (body) => {
        assert.equal(typeof openRoomLine([KEY], AT_RUST, body).type, 'string');
        assert.equal(typeof openRoomLine([KEY], AT_RUST, `[e2e] ${body}`).type, 'string');
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.nat({ max: line.length - 1 }), fc.constantFrom(...'Aa0_-/=+é'), (at, char) => {
        const mutated = line.slice(0, at) + char + line.slice(at + 1);
        const opened = openRoomLine([KEY], AT_RUST, mutated);
        if (mutated !== line) assert.notEqual(opened.type, 'line');
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a seq outside u32, a newline, and a nonce of the wrong size', () => {
    assert.throws(() => seal('x', AT_RUST, 2 ** 32), RangeError);
    assert.throws(() => seal('a\nb'), RangeError);
    assert.throws(
      () => sealRoomLine(KEY, AT_RUST, { seq: 0, kind: 'message', text: 'x' }, new Uint8Array(8)),
      RangeError,
    );
  });
});
