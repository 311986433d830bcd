import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatProtectedTrace, formatTrace } from '../../../src/protocol/trace-format.ts';
import { deriveSessionSecrets } from '../../../src/protocol/v2/key-schedule.ts';
import { sealPacket } from '../../../src/protocol/v2/packet-protection.ts';
import { encodeDataPayload } from '../../../src/protocol/v2/protected-bodies.ts';
import { encodeHello3, encodeReject3 } from '../../../src/protocol/v2/protected-handshake.ts';
import { encodeHello, sealData } from '../../../src/protocol/v2/wire.ts';

const PEER = { host: '127.0.0.1', port: 5000 };
const SESSION = new Uint8Array(8).fill(1);
const KEYS = deriveSessionSecrets(new Uint8Array(32).fill(7), new Uint8Array(32).fill(8));
const FRAMES = [
  { type: 'line', seq: 7, text: 'hi\x1b[2J' },
  { type: 'line', seq: 8, text: '/join alice hunter2' },
  { type: 'ping' },
] as const;

describe('--trace shows v2 datagrams readably, and protected ones only where they were opened', () => {
  it('a HELLO shows its type and nonce', () => {
    const hello = encodeHello3({
      nonce: new Uint8Array(8).fill(0xab),
      publicKey: new Uint8Array(32),
      cookie: null,
      extensions: new Uint8Array(0),
    });
    assert.equal(formatTrace('out', PEER, hello), 'out 127.0.0.1:5000 96B v2 HELLO nonce=abababababababab');
  });

  it('a sealed DATA on the wire shows its session and number, marked protected, and nothing of its frames', () => {
    const header = { type: 'data', sessionId: SESSION, packetNumber: 12 } as const;
    const data = sealPacket(header, encodeDataPayload({ next: 4, bitmap: 3 }, FRAMES), KEYS.clientToRelay);
    const line = formatTrace('in', PEER, data);
    assert.equal(line, `in  127.0.0.1:5000 ${data.byteLength}B v2 DATA s=0101010101010101 #12 [protected]`);
  });

  it('what an endpoint opened shows the frames, with text escaped and secrets redacted', () => {
    const content = {
      type: 'data',
      sessionId: SESSION,
      packetNumber: 12,
      ack: { next: 4, bitmap: 3 },
      frames: FRAMES,
    };
    const line = formatProtectedTrace('opened', content);
    assert.match(line, /^opened v2 DATA s=0101010101010101 #12 \[protected\] ack=4\+0x3 /);
    assert.ok(line.includes('LINE 7 "hi\\x1b[2J"'), line);
    assert.ok(line.includes('LINE 8 "/join alice <secret redacted>"'), line);
    assert.ok(line.endsWith(' PING'), line);
    assert.ok(!line.includes('hunter2'));
    const close = { type: 'close', sessionId: SESSION, packetNumber: 13, reason: 1 };
    assert.equal(
      formatProtectedTrace('sealed', close),
      'sealed v2 CLOSE s=0101010101010101 #13 [protected] reason=1',
    );
  });

  it('a REJECT 4 shows its session and reason, never its reset token', () => {
    const token = new Uint8Array(16).fill(0xee);
    const reject = encodeReject3({ echo: new Uint8Array(8).fill(2), reason: 4, token });
    const line = formatTrace('out', PEER, reject);
    assert.equal(line, 'out 127.0.0.1:5000 28B v2 REJECT echo=0202020202020202 reason=4');
    assert.ok(!line.includes('eeee'));
  });

  it('a wire-2 datagram from an old peer is named as such', () => {
    const hello = encodeHello({
      nonce: new Uint8Array(8).fill(0xab),
      publicKey: new Uint8Array(32),
      cookie: null,
    });
    assert.equal(
      formatTrace('in', PEER, hello),
      'in  127.0.0.1:5000 96B v2 wire-2 HELLO nonce=abababababababab',
    );
    const data = sealData(
      { sessionId: SESSION, packetNumber: 1, ack: { next: 0, bitmap: 0 }, frames: [] },
      new Uint8Array(32),
    );
    assert.match(formatTrace('in', PEER, data), /v2 wire-2 DATA s=0101010101010101 #1 ack=0\+0x0$/);
  });

  it('garbage after the v2 magic is shown as malformed, never thrown', () => {
    assert.equal(
      formatTrace('in', PEER, Uint8Array.from([0xff, 0x03])),
      'in  127.0.0.1:5000 2B v2 malformed (short)',
    );
    assert.equal(
      formatTrace('in', PEER, Uint8Array.from([0xff])),
      'in  127.0.0.1:5000 1B v2 malformed (short)',
    );
  });
});
