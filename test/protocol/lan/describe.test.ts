/** LAN datagrams in --trace: the header always, the body when in clear, never a sealed body's content. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveGroupKey } from '../../../src/protocol/lan/group-key.ts';
import { encodeLanDatagram } from '../../../src/protocol/lan/wire.ts';
import { formatTrace } from '../../../src/protocol/trace-format.ts';
import { hex } from './lan-samples.ts';

const LINE = {
  senderId: hex('3c9a5107e24d881f'),
  sequence: 1,
  kind: 'line' as const,
  claimedAt: Date.UTC(2026, 0, 1, 12),
  lineNumber: 0,
  nick: 'alice',
  text: 'hi \u001b[31mbob',
};
const FROM = { host: '192.168.1.7', port: 9999 };

function bytesOf(result: ReturnType<typeof encodeLanDatagram>): Uint8Array {
  assert.ok(result.ok);
  return result.bytes;
}

describe('LAN datagrams in --trace', () => {
  it('shows the sender, sequence, kind, line number, nick and the text escaped', () => {
    assert.equal(
      formatTrace('in', FROM, bytesOf(encodeLanDatagram(LINE, null))),
      'in  192.168.1.7:9999 45B lan s=3c9a5107e24d881f #1 LINE 0 alice "hi \\x1b[31mbob"',
    );
  });

  it('shows a sealed datagram as sealed, with nothing of its text', async () => {
    const key = await deriveGroupKey('correct horse battery staple', { host: '239.255.0.1', port: 9999 });
    const line = formatTrace('out', FROM, bytesOf(encodeLanDatagram(LINE, key)));
    assert.equal(line, 'out 192.168.1.7:9999 61B lan s=3c9a5107e24d881f #1 sealed');
  });

  it('names what is wrong with a malformed one', () => {
    const bytes = bytesOf(encodeLanDatagram(LINE, null));
    assert.match(formatTrace('in', FROM, bytes.subarray(0, 8)), /lan malformed \(truncated\)$/);
    const badKind = new Uint8Array(bytes);
    badKind[15] = 0x7f;
    assert.match(formatTrace('in', FROM, badKind), /lan s=3c9a5107e24d881f #1 malformed \(kind\)$/);
  });
});
