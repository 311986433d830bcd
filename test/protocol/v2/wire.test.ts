import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DATAGRAM_BYTES } from '../../../src/protocol/limits.ts';
import {
  bytesEqual,
  decodeHello,
  decodeReject,
  decodeRetry,
  encodeHello,
  encodeReject,
  encodeRetry,
  hex,
  isV2,
  openAccept,
  openData,
  PACKET_TYPE_CODES,
  peek,
  REJECT_REASONS,
  sealAccept,
  sealData,
  unsupportedVersionEcho,
} from '../../../src/protocol/v2/wire.ts';
import { filled } from './deterministic-random.ts';
import {
  C2R,
  COOKIE,
  KEY,
  NONCE,
  R2C,
  RESET_MASK,
  SESSION,
  TOKEN,
  taggedSamples,
  untaggedSamples,
} from './wire-samples.ts';

describe('untagged handshake datagrams', () => {
  it('HELLO without a cookie is exactly 96 bytes: header, nonce, key, length 0, zero padding', () => {
    const bytes = encodeHello({ nonce: NONCE, publicKey: KEY, cookie: null });
    assert.equal(bytes.byteLength, 96);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0x02, 0x01]);
    assert.deepEqual(bytes.subarray(3, 11), NONCE);
    assert.deepEqual(bytes.subarray(11, 43), KEY);
    assert.equal(bytes[43], 0);
    assert.ok(bytes.subarray(44).every((byte) => byte === 0));
    assert.deepEqual(decodeHello(bytes), {
      ok: true,
      packet: { type: 'hello', nonce: NONCE, publicKey: KEY, cookie: null },
    });
  });

  it('HELLO with a cookie is exactly 96 bytes too, the cookie after its length byte', () => {
    const bytes = encodeHello({ nonce: NONCE, publicKey: KEY, cookie: COOKIE });
    assert.equal(bytes.byteLength, 96);
    assert.equal(bytes[43], 20);
    assert.deepEqual(bytes.subarray(44, 64), COOKIE);
    assert.ok(bytes.subarray(64).every((byte) => byte === 0));
    assert.deepEqual(decodeHello(bytes), {
      ok: true,
      packet: { type: 'hello', nonce: NONCE, publicKey: KEY, cookie: COOKIE },
    });
  });

  it('RETRY is 31 bytes and REJECT 12, within 3x of a HELLO (RFC 9000 §8)', () => {
    const retry = encodeRetry({ nonce: NONCE, cookie: COOKIE });
    assert.equal(retry.byteLength, 31);
    assert.deepEqual([...retry.subarray(0, 3)], [0xff, 0x02, 0x02]);
    assert.deepEqual(decodeRetry(retry), {
      ok: true,
      packet: { type: 'retry', nonce: NONCE, cookie: COOKIE },
    });
    const reject = encodeReject({ echo: NONCE, reason: REJECT_REASONS.tooManySessions, token: null });
    assert.equal(reject.byteLength, 12);
    assert.deepEqual([...reject], [0xff, 0x02, 0x08, ...NONCE, 3]);
    assert.deepEqual(decodeReject(reject), {
      ok: true,
      packet: { type: 'reject', echo: NONCE, reason: 3, token: null },
    });
    assert.ok(Math.max(retry.byteLength, reject.byteLength) <= 3 * 96);
  });

  it('REJECT 4 carries the reset token (28 bytes); every other reason is 12 bytes, and a size off by one is malformed', () => {
    const reset = encodeReject({ echo: SESSION, reason: REJECT_REASONS.unknownSession, token: TOKEN });
    assert.equal(reset.byteLength, 28);
    assert.deepEqual([...reset], [0xff, 0x02, 0x08, ...SESSION, 4, ...TOKEN]);
    assert.deepEqual(decodeReject(reset), {
      ok: true,
      packet: { type: 'reject', echo: SESSION, reason: 4, token: TOKEN },
    });
    assert.deepEqual(decodeReject(reset.subarray(0, 12)), { ok: false, reason: 'length' });
    const badKey = encodeReject({ echo: NONCE, reason: REJECT_REASONS.badKey, token: null });
    assert.deepEqual([...badKey], [0xff, 0x02, 0x08, ...NONCE, 5]);
    assert.deepEqual(decodeReject(Uint8Array.from([...badKey, ...TOKEN])), { ok: false, reason: 'length' });
    assert.throws(() => encodeReject({ echo: SESSION, reason: 4, token: null }), RangeError);
    assert.throws(() => encodeReject({ echo: NONCE, reason: 3, token: TOKEN }), RangeError);
  });

  it('a HELLO may be padded beyond 96 bytes, but never with non-zero bytes', () => {
    const longer = new Uint8Array(300);
    longer.set(encodeHello({ nonce: NONCE, publicKey: KEY, cookie: null }));
    assert.equal(decodeHello(longer).ok, true);
    longer[299] = 1;
    assert.deepEqual(decodeHello(longer), { ok: false, reason: 'padding' });
  });

  it('a HELLO with a cookie length other than 0 or 20, or beyond 1,200 bytes, is malformed', () => {
    const bytes = encodeHello({ nonce: NONCE, publicKey: KEY, cookie: null });
    bytes[43] = 5;
    assert.deepEqual(decodeHello(bytes), { ok: false, reason: 'length' });
    const huge = new Uint8Array(MAX_DATAGRAM_BYTES + 1);
    huge.set(encodeHello({ nonce: NONCE, publicKey: KEY, cookie: null }));
    assert.deepEqual(decodeHello(huge), { ok: false, reason: 'length' });
  });

  it('a REJECT with a reason the spec does not define is malformed', () => {
    const bytes = encodeReject({ echo: NONCE, reason: 1, token: null });
    bytes[11] = 9;
    assert.deepEqual(decodeReject(bytes), { ok: false, reason: 'reason' });
  });

  it('every decoder refuses another type, another version and a v1 line', () => {
    const retry = encodeRetry({ nonce: NONCE, cookie: COOKIE });
    assert.deepEqual(decodeHello(retry), { ok: false, reason: 'type' });
    const v3 = Uint8Array.from(retry, (byte, index) => (index === 1 ? 3 : byte));
    assert.deepEqual(decodeRetry(v3), { ok: false, reason: 'version' });
    assert.deepEqual(decodeRetry(new TextEncoder().encode('/join alice\n')), { ok: false, reason: 'magic' });
  });
});

describe('tagged datagrams', () => {
  for (const sample of taggedSamples()) {
    it(`${sample.name} round-trips under the key of its direction`, () => {
      assert.deepEqual(sample.open(sample.bytes, sample.key), { ok: true, packet: sample.expected });
    });

    it(`${sample.name}: a flipped bit anywhere fails`, () => {
      for (let bit = 0; bit < sample.bytes.byteLength * 8; bit++) {
        const bent = Uint8Array.from(sample.bytes);
        bent[bit >> 3] = (bent[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        const result = sample.open(bent, sample.key);
        assert.equal(result.ok, false, `bit ${bit}`);
        if (bit >= 24) assert.deepEqual(result, { ok: false, reason: 'tag' }, `bit ${bit}`);
      }
    });

    it(`${sample.name}: reflected to its sender (the other direction's key) it does not open`, () => {
      const otherKey = sample.key === C2R ? R2C : C2R;
      assert.deepEqual(sample.open(sample.bytes, otherKey), { ok: false, reason: 'tag' });
    });
  }

  it('has the sizes of the spec: ACCEPT 91, CLOSE 32, CHALLENGE and RESPONSE 39, empty DATA 39', () => {
    const sizes = Object.fromEntries(taggedSamples().map((sample) => [sample.name, sample.bytes.byteLength]));
    assert.deepEqual(sizes, {
      ACCEPT: 91,
      DATA: 39 + (7 + 11) + 5 + 1,
      CLOSE: 32,
      CHALLENGE: 39,
      RESPONSE: 39,
    });
    const empty = { sessionId: SESSION, packetNumber: 0, ack: { next: 0, bitmap: 0 }, frames: [] };
    assert.equal(sealData(empty, C2R).byteLength, 39);
  });

  it('ACCEPT lays out nonce, session, key, idle timeout ms, keep-alive ms and the masked token before its tag', () => {
    const fields = {
      nonce: NONCE,
      sessionId: SESSION,
      publicKey: KEY,
      idleTimeoutMs: 0x0001_2345,
      keepAliveMs: 0xabcd,
      resetToken: TOKEN,
    };
    const keys = { relayToClient: R2C, resetMask: RESET_MASK };
    const bytes = sealAccept(fields, keys);
    assert.equal(bytes.byteLength, 91);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0x02, 0x03]);
    assert.deepEqual([...bytes.subarray(51, 59)], [0x00, 0x01, 0x23, 0x45, 0x00, 0x00, 0xab, 0xcd]);
    // The token never travels in clear: an observer sees it XORed with a mask only the two ends derive.
    assert.deepEqual(
      [...bytes.subarray(59, 75)],
      [...TOKEN].map((byte, i) => byte ^ (RESET_MASK[i] ?? 0)),
    );
    assert.deepEqual(openAccept(bytes, keys), { ok: true, packet: { type: 'accept', ...fields } });
  });

  it('DATA sealed with the relay→client key does not open with the client→relay key', () => {
    const fields = { sessionId: SESSION, packetNumber: 1, ack: { next: 0, bitmap: 0 }, frames: [] };
    assert.deepEqual(openData(sealData(fields, R2C), C2R), { ok: false, reason: 'tag' });
  });
});

describe('truncated and padded datagrams', () => {
  for (const { name, bytes, key, open } of taggedSamples()) {
    it(`every strict prefix of ${name} fails`, () => {
      for (let length = 0; length < bytes.byteLength; length++) {
        assert.equal(open(bytes.subarray(0, length), key).ok, false, `${length} bytes`);
      }
    });
  }

  it('every strict prefix of HELLO, RETRY and REJECT fails', () => {
    const decoders = [decodeHello, decodeHello, decodeRetry, decodeReject, decodeReject];
    untaggedSamples().forEach(({ bytes }, index) => {
      const decode = decoders[index] ?? decodeHello;
      assert.equal(decode(bytes).ok, true);
      for (let length = 0; length < bytes.byteLength; length++)
        assert.equal(decode(bytes.subarray(0, length)).ok, false);
    });
  });

  it('a fixed-size datagram with a trailing byte is malformed', () => {
    const retry = encodeRetry({ nonce: NONCE, cookie: COOKIE });
    assert.deepEqual(decodeRetry(new Uint8Array([...retry, 0])), { ok: false, reason: 'length' });
  });
});

describe('telling datagrams apart before verifying them', () => {
  it('isV2 is the 0xFF first byte, which no UTF-8 line has', () => {
    assert.equal(isV2(encodeRetry({ nonce: NONCE, cookie: COOKIE })), true);
    assert.equal(isV2(new TextEncoder().encode('/join alice\n')), false);
    assert.equal(isV2(new Uint8Array(0)), false);
  });

  it('peek names every type and its routing id (nonce, session id or echo)', () => {
    const seen = [...untaggedSamples(), ...taggedSamples()].map(({ bytes }) => peek(bytes));
    assert.deepEqual(seen, [
      { ok: true, type: 'hello', nonce: NONCE },
      { ok: true, type: 'hello', nonce: NONCE },
      { ok: true, type: 'retry', nonce: NONCE },
      { ok: true, type: 'reject', echo: SESSION },
      { ok: true, type: 'reject', echo: NONCE },
      { ok: true, type: 'accept', nonce: NONCE },
      { ok: true, type: 'data', sessionId: SESSION },
      { ok: true, type: 'close', sessionId: SESSION },
      { ok: true, type: 'challenge', sessionId: SESSION },
      { ok: true, type: 'response', sessionId: SESSION },
    ]);
  });

  it('peek refuses short, foreign, other-version and unknown-type datagrams', () => {
    assert.deepEqual(peek(new Uint8Array([0xff, 0x02, 0x04, 1, 2])), { ok: false, reason: 'short' });
    assert.deepEqual(peek(new Uint8Array([0x2f, 0x6a])), { ok: false, reason: 'magic' });
    assert.deepEqual(peek(new Uint8Array([0xff, 0x01, 0x01, ...NONCE])), { ok: false, reason: 'version' });
    assert.deepEqual(peek(new Uint8Array([0xff, 0x02, 0x09, ...NONCE])), { ok: false, reason: 'type' });
    assert.deepEqual(peek(new Uint8Array([0xff, 0x02, 0x00, ...NONCE])), { ok: false, reason: 'type' });
  });

  it('finds the nonce of another version’s HELLO, to answer REJECT reason 1', () => {
    const v3 = new Uint8Array([0xff, 0x03, PACKET_TYPE_CODES.hello, ...NONCE, ...new Uint8Array(85)]);
    assert.deepEqual(unsupportedVersionEcho(v3), NONCE);
    assert.equal(unsupportedVersionEcho(encodeHello({ nonce: NONCE, publicKey: KEY, cookie: null })), null);
    assert.equal(unsupportedVersionEcho(new Uint8Array([0xff, 0x03, 0x01, 1])), null);
  });

  it('hex names ids for maps, and decoded ids never alias the receive buffer', () => {
    const pool = Buffer.alloc(64);
    const bytes = encodeRetry({ nonce: NONCE, cookie: COOKIE });
    pool.set(bytes, 17);
    const view = pool.subarray(17, 17 + bytes.byteLength);
    const decoded = decodeRetry(view);
    assert.ok(decoded.ok);
    assert.equal(hex(decoded.packet.nonce), '1111111111111111');
    pool.fill(0);
    assert.ok(bytesEqual(decoded.packet.nonce, NONCE));
    assert.equal(Object.getPrototypeOf(decoded.packet.nonce), Uint8Array.prototype);
  });
});

describe('encoders refuse what their callers must never pass', () => {
  it('throws RangeError on wrong sizes and ranges', () => {
    assert.throws(() => encodeHello({ nonce: filled(7, 0), publicKey: KEY, cookie: null }), RangeError);
    assert.throws(() => encodeHello({ nonce: NONCE, publicKey: KEY, cookie: filled(19, 0) }), RangeError);
    assert.throws(() => encodeReject({ echo: NONCE, reason: 7 as 1, token: null }), RangeError);
    const data = { sessionId: SESSION, packetNumber: 2 ** 32, ack: { next: 0, bitmap: 0 }, frames: [] };
    assert.throws(() => sealData(data, C2R), RangeError);
    const keys = { relayToClient: R2C, resetMask: RESET_MASK };
    const accept = { nonce: NONCE, sessionId: SESSION, publicKey: KEY, keepAliveMs: 1, resetToken: TOKEN };
    assert.throws(() => sealAccept({ ...accept, idleTimeoutMs: 2 ** 32 }, keys), RangeError);
    assert.throws(() => sealAccept({ ...accept, idleTimeoutMs: 0 }, keys), RangeError);
  });
});
