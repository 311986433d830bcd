/** The example transcript in src/protocol/lan/index.ts, byte for byte, so the documentation cannot drift. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { deriveGroupKey } from '../../../src/protocol/lan/group-key.ts';
import { decodeLanDatagram, encodeLanDatagram } from '../../../src/protocol/lan/wire.ts';
import { hex, toHex } from './lan-samples.ts';

const ALICE = hex('3c9a5107e24d881f');
/** 2026-01-01T12:00:00Z. */
const CLAIMED_AT = Date.UTC(2026, 0, 1, 12);
const base = { senderId: ALICE, claimedAt: CLAIMED_AT, nick: 'alice', lineNumber: 0 };

const ANNOUNCE = 'fe0100 3c9a5107e24d881f 00000000 03 0000019b796dd600 00000000 05 616c696365';
const LINE = 'fe0100 3c9a5107e24d881f 00000001 01 0000019b796dd600 00000000 05 616c696365 686920626f62';
const SEALED_LINE =
  'fe0101 3c9a5107e24d881f 00000001 72b2ec1994288ac8acebca21e02a507c118bda952a8e1c6123 ' +
  'dfcb10efc50821b0bab32d5087ba53d6';

const squash = (text: string): string => text.replace(/\s+/g, '');

function encoded(result: ReturnType<typeof encodeLanDatagram>): string {
  assert.ok(result.ok);
  return toHex(result.bytes);
}

describe('the documented transcript', () => {
  it('alice announces herself in clear', () => {
    assert.equal(
      encoded(encodeLanDatagram({ ...base, sequence: 0, kind: 'announce', text: '' }, null)),
      squash(ANNOUNCE),
    );
  });

  it('alice says "hi bob" in clear', () => {
    assert.equal(
      encoded(encodeLanDatagram({ ...base, sequence: 1, kind: 'line', text: 'hi bob' }, null)),
      squash(LINE),
    );
  });

  it('the same line sealed with --group-key "correct horse battery staple" on 239.255.0.1:9999', async () => {
    const key = await deriveGroupKey('correct horse battery staple', { host: '239.255.0.1', port: 9999 });
    const line = { ...base, sequence: 1, kind: 'line' as const, text: 'hi bob' };
    assert.equal(encoded(encodeLanDatagram(line, key)), squash(SEALED_LINE));
    const opened = decodeLanDatagram(hex(SEALED_LINE), key);
    assert.ok(opened.ok);
    assert.deepEqual(opened.datagram, line);
  });
});

describe('the transcript in docs/PROTOCOL.md', () => {
  it('shows the same bytes, in order', () => {
    const doc = readFileSync(new URL('../../../docs/PROTOCOL.md', import.meta.url), 'utf8');
    const start = doc.indexOf('## Serverless LAN chat (multicast)');
    const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
    const hexLines = section.split('\n').filter((line) => /^[0-9a-f]{2,}( [0-9a-f]+)*$/.test(line));
    assert.ok(start >= 0 && hexLines.length === 4, hexLines.join('\n'));
    assert.equal(squash(hexLines.join('')), squash(ANNOUNCE + LINE + SEALED_LINE));
  });
});
