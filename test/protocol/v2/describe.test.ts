import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTrace } from '../../../src/protocol/trace-format.ts';
import { encodeHello, encodeReject, sealData } from '../../../src/protocol/v2/wire.ts';

const PEER = { host: '127.0.0.1', port: 5000 };

describe('--trace shows v2 datagrams readably', () => {
  it('a HELLO shows its type and nonce', () => {
    const hello = encodeHello({
      nonce: new Uint8Array(8).fill(0xab),
      publicKey: new Uint8Array(32),
      cookie: null,
    });
    assert.equal(formatTrace('out', PEER, hello), 'out 127.0.0.1:5000 96B v2 HELLO nonce=abababababababab');
  });

  it('a DATA shows its session, number, ack and frames, with text escaped and secrets redacted', () => {
    const data = sealData(
      {
        sessionId: new Uint8Array(8).fill(1),
        packetNumber: 12,
        ack: { next: 4, bitmap: 3 },
        frames: [
          { type: 'line', seq: 7, text: 'hi\x1b[2J' },
          { type: 'line', seq: 8, text: '/join alice hunter2' },
          { type: 'ping' },
        ],
      },
      new Uint8Array(32),
    );
    const line = formatTrace('in', PEER, data);
    assert.match(line, /^in {2}127\.0\.0\.1:5000 \d+B v2 DATA s=0101010101010101 #12 ack=4\+0x3 /);
    assert.ok(line.includes('LINE 7 "hi\\x1b[2J"'), line);
    assert.ok(line.includes('LINE 8 "/join alice <secret redacted>"'), line);
    assert.ok(line.endsWith(' PING'), line);
    assert.ok(!line.includes('hunter2'));
  });

  it('a REJECT 4 shows its session and reason, never its reset token', () => {
    const token = new Uint8Array(16).fill(0xee);
    const reject = encodeReject({ echo: new Uint8Array(8).fill(2), reason: 4, token });
    const line = formatTrace('out', PEER, reject);
    assert.equal(line, 'out 127.0.0.1:5000 28B v2 REJECT echo=0202020202020202 reason=4');
    assert.ok(!line.includes('eeee'));
  });

  it('garbage after the v2 magic is shown as malformed, never thrown', () => {
    assert.equal(
      formatTrace('in', PEER, Uint8Array.from([0xff, 0x02])),
      'in  127.0.0.1:5000 2B v2 malformed (short)',
    );
  });
});
