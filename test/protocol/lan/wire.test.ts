/** The LAN datagram format: its exact layout, every decode error, sealing with the group key. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDatagram } from '../../../src/protocol/codec.ts';
import type { LanDatagram } from '../../../src/protocol/lan/datagram.ts';
import { isLan } from '../../../src/protocol/lan/header.ts';
import { HEADER_BYTES, MAX_LAN_DATAGRAM_BYTES } from '../../../src/protocol/lan/limits.ts';
import { messageIdText } from '../../../src/protocol/lan/message-id.ts';
import { decodeLanDatagram, encodeLanDatagram, type LanDecoded } from '../../../src/protocol/lan/wire.ts';
import { isV2 } from '../../../src/protocol/v2/wire-common.ts';
import { CLAIMED_AT, hex, KEY, OTHER_KEY, SENDER, sample, toHex } from './lan-samples.ts';

function encoded(datagram: LanDatagram, key = null as typeof KEY | null): Uint8Array {
  const result = encodeLanDatagram(datagram, key);
  assert.ok(result.ok, `encodes: ${result.ok ? '' : result.error}`);
  return result.bytes;
}

function decodeError(bytes: Uint8Array, key = null as typeof KEY | null): string {
  const result = decodeLanDatagram(bytes, key);
  assert.equal(result.ok, false);
  return result.ok ? '' : result.error;
}

function decoded(bytes: Uint8Array, key = null as typeof KEY | null): Extract<LanDecoded, { ok: true }> {
  const result = decodeLanDatagram(bytes, key);
  assert.ok(result.ok, `decodes: ${result.ok ? '' : result.error}`);
  return result;
}

/** A clear datagram with its body replaced by `body` (the header of sample()). */
function withBody(body: Uint8Array): Uint8Array {
  return new Uint8Array([...encoded(sample()).subarray(0, HEADER_BYTES), ...body]);
}

/** kind, claimed-at, line number, then the nick and text given. */
function body(kind: number, nick: Uint8Array, text: Uint8Array, nickLength = nick.byteLength): Uint8Array {
  return new Uint8Array([kind, ...hex('0000019b76daa800'), 0, 0, 0, 0, nickLength, ...nick, ...text]);
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('LAN datagram layout', () => {
  it('lays out a line in clear exactly as documented', () => {
    assert.equal(
      toHex(encoded(sample())),
      'fe0100' +
        '0102030405060708' +
        '00000001' +
        '01' +
        '0000019b76daa800' +
        '00000000' +
        '03' +
        '626f62' +
        '6869',
    );
  });

  it('decodes that line back to its fields, with the nick look-alike key', () => {
    const result = decoded(encoded(sample()));
    assert.deepEqual(result.datagram, sample());
    assert.equal(result.sealed, false);
    assert.equal(result.nickKey, 'bob');
  });

  it('lays out an action, an announce and a leave with their kind codes and no text for the last two', () => {
    assert.equal(toHex(encoded(sample({ kind: 'action', text: 'waves' }))).slice(30, 32), '02');
    const announce = encoded(sample({ kind: 'announce', text: '', lineNumber: 7 }));
    assert.equal(toHex(announce).slice(30), '03' + '0000019b76daa800' + '00000007' + '03626f62');
    assert.equal(toHex(encoded(sample({ kind: 'leave', text: '' }))).slice(30, 32), '04');
  });

  it('names a message by sender id and sequence, 24 hex digits', () => {
    assert.equal(messageIdText({ senderId: toHex(SENDER), sequence: 0x1234 }), '010203040506070800001234');
  });

  it('is never mistaken for v1 text or for v2', () => {
    const bytes = encoded(sample());
    assert.equal(isLan(bytes), true);
    assert.equal(isV2(bytes), false);
    assert.deepEqual(decodeDatagram(bytes), { ok: false, error: 'invalid-utf8', bytes: bytes.byteLength });
    assert.equal(decodeError(utf8('/join bob\n')), 'not-lan');
    assert.equal(decodeError(hex('ff0201')), 'not-lan');
  });
});

describe('decoding refuses, with a precise error', () => {
  const valid = encoded(sample());
  const patched = (at: number, value: number): Uint8Array => {
    const bytes = Uint8Array.from(valid);
    bytes[at] = value;
    return bytes;
  };

  it('an empty datagram and a bare header', () => {
    assert.equal(decodeError(new Uint8Array(0)), 'not-lan');
    assert.equal(decodeError(valid.subarray(0, HEADER_BYTES - 1)), 'truncated');
    assert.equal(decodeError(valid.subarray(0, HEADER_BYTES)), 'truncated');
  });

  it('a datagram over 1,200 bytes', () => {
    assert.equal(decodeError(new Uint8Array(MAX_LAN_DATAGRAM_BYTES + 1).fill(0xfe)), 'too-large');
  });

  it('another version and an unknown flag', () => {
    assert.equal(decodeError(patched(1, 2)), 'version');
    assert.equal(decodeError(patched(2, 0x02)), 'flags');
  });

  it('an unknown kind', () => {
    assert.equal(decodeError(patched(HEADER_BYTES, 0x05)), 'kind');
    assert.equal(decodeError(patched(HEADER_BYTES, 0x00)), 'kind');
  });

  it('a claimed-at time past 2^53 ms', () => {
    assert.equal(decodeError(patched(HEADER_BYTES + 1, 0x00 + 0x20)), 'timestamp');
  });

  it('a nick length that runs past the end', () => {
    assert.equal(decodeError(withBody(body(1, utf8('bob'), new Uint8Array(0), 9))), 'truncated');
  });

  it('invalid UTF-8 in the nick or the text, including a character split between them', () => {
    assert.equal(decodeError(withBody(body(1, hex('c328'), utf8('hi')))), 'invalid-utf8');
    assert.equal(decodeError(withBody(body(1, utf8('bob'), hex('ed a0 80')))), 'invalid-utf8');
    assert.equal(decodeError(withBody(body(1, hex('626fc3'), hex('a9')))), 'invalid-utf8');
  });

  it('a nick the relay would refuse, and one with # (the collision suffix)', () => {
    assert.equal(decodeError(withBody(body(1, new Uint8Array(0), utf8('hi')))), 'nick');
    assert.equal(decodeError(withBody(body(1, utf8('bo b'), utf8('hi')))), 'nick');
    assert.equal(decodeError(withBody(body(1, utf8('*bob'), utf8('hi')))), 'nick');
    assert.equal(decodeError(withBody(body(1, utf8('b\u202eob'), utf8('hi')))), 'nick');
    assert.equal(decodeError(withBody(body(1, utf8('x'.repeat(33)), utf8('hi')))), 'nick');
    assert.equal(decodeError(withBody(body(1, utf8('bob#1a2b'), utf8('hi')))), 'nick');
    assert.equal(decodeError(withBody(body(1, utf8('bob\uff031a2b'), utf8('hi')))), 'nick');
  });

  it('a line without text, or over 1,024 characters; an announce or leave with text', () => {
    assert.equal(decodeError(withBody(body(1, utf8('bob'), new Uint8Array(0)))), 'text-empty');
    assert.equal(decodeError(withBody(body(2, utf8('bob'), new Uint8Array(0)))), 'text-empty');
    assert.equal(decodeError(withBody(body(1, utf8('bob'), utf8('a'.repeat(1025))))), 'text-too-long');
    assert.equal(decodeError(withBody(body(3, utf8('bob'), utf8('x')))), 'text-unexpected');
    assert.equal(decodeError(withBody(body(4, utf8('bob'), utf8('x')))), 'text-unexpected');
  });

  it('reports the header it read along with a body error', () => {
    const result = decodeLanDatagram(patched(HEADER_BYTES, 0x09), null);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? null : result.header, { sealed: false, senderId: SENDER, sequence: 1 });
  });
});

describe('encoding refuses what decoding would, and what does not fit', () => {
  const encodeError = (datagram: LanDatagram, key = null as typeof KEY | null): string => {
    const result = encodeLanDatagram(datagram, key);
    return result.ok ? 'ok' : result.error;
  };

  it('bad header fields', () => {
    assert.equal(encodeError(sample({ senderId: new Uint8Array(7) })), 'sender-id');
    assert.equal(encodeError(sample({ sequence: 2 ** 32 })), 'sequence');
    assert.equal(encodeError(sample({ sequence: -1 })), 'sequence');
    assert.equal(encodeError(sample({ lineNumber: 1.5 })), 'line-number');
    assert.equal(encodeError(sample({ claimedAt: 2 ** 53 })), 'timestamp');
  });

  it('bad nicks and texts', () => {
    assert.equal(encodeError(sample({ nick: 'a#b' })), 'nick');
    assert.equal(encodeError(sample({ text: '' })), 'text-empty');
    assert.equal(encodeError(sample({ kind: 'announce' })), 'text-unexpected');
    assert.equal(encodeError(sample({ text: 'a'.repeat(1025) })), 'text-too-long');
    assert.equal(encodeError(sample({ text: 'lone \ud800 surrogate' })), 'invalid-utf8');
  });

  it('a 1,024-character line that fits, and one of 1,024 three-byte characters that does not', () => {
    assert.equal(encodeError(sample({ text: 'a'.repeat(1024) }), KEY), 'ok');
    assert.equal(encodeError(sample({ text: '語'.repeat(1024) })), 'too-large');
  });

  it('fills a datagram to exactly 1,200 bytes and no further, sealed or in clear', () => {
    // header 15 + fixed body 14 + "bob" 3 = 32; a tag adds 16.
    assert.equal(encoded(sample({ text: `${'€'.repeat(389)}a` })).byteLength, 1200);
    assert.equal(encodeError(sample({ text: `${'€'.repeat(389)}ab` })), 'too-large');
    assert.equal(encoded(sample({ text: '€'.repeat(384) }), KEY).byteLength, 1200);
    assert.equal(encodeError(sample({ text: `${'€'.repeat(384)}a` }), KEY), 'too-large');
  });
});

describe('sealed with a group key', () => {
  const sealed = encoded(sample(), KEY);

  it('keeps the header in clear with the sealed flag, and hides the nick and text', () => {
    assert.equal(toHex(sealed.subarray(0, HEADER_BYTES)), 'fe0101010203040506070800000001');
    assert.equal(sealed.byteLength, encoded(sample()).byteLength + 16);
    assert.equal(Buffer.from(sealed).includes(Buffer.from('bob')), false);
  });

  it('opens with the key, to the same fields', () => {
    const result = decoded(sealed, KEY);
    assert.deepEqual(result.datagram, sample());
    assert.equal(result.sealed, true);
  });

  it('fails authentication under another key, or with any byte of the header or body changed', () => {
    assert.equal(decodeError(sealed, OTHER_KEY), 'authentication');
    for (const at of [3, 10, 11, 14, HEADER_BYTES, sealed.byteLength - 1]) {
      const altered = Uint8Array.from(sealed);
      altered[at] = (altered[at] ?? 0) ^ 0x80;
      assert.equal(decodeError(altered, KEY), 'authentication', `byte ${at}`);
    }
  });

  it('is refused without a key; a clear datagram is refused with one', () => {
    assert.equal(decodeError(sealed), 'needs-key');
    assert.equal(decodeError(encoded(sample()), KEY), 'unsealed');
  });

  it('uses sender id || sequence as the nonce: the same body at another sequence is another ciphertext', () => {
    const next = encoded(sample({ sequence: 2 }), KEY);
    assert.notEqual(toHex(next.subarray(HEADER_BYTES)), toHex(sealed.subarray(HEADER_BYTES)));
  });

  it('keeps every claimed-at time up to 2^53 - 1', () => {
    const latest = sample({ claimedAt: Number.MAX_SAFE_INTEGER });
    assert.equal(decoded(encoded(latest, KEY), KEY).datagram.claimedAt, Number.MAX_SAFE_INTEGER);
    assert.equal(decoded(encoded(sample({ claimedAt: 0 }))).datagram.claimedAt, 0);
    assert.equal(CLAIMED_AT, Date.UTC(2026, 0, 1));
  });
});
