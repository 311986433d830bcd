import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeExtensions,
  decodeHello3,
  decodeReject3,
  decodeRetry3,
  encodeExtensions,
  encodeHello3,
  encodeReject3,
  encodeRetry3,
  readVersionReject,
  versionRejectFor,
} from '../../../src/protocol/v2/protected-handshake.ts';
import {
  decodeReject,
  encodeHello,
  encodeReject,
  unsupportedVersionEcho,
} from '../../../src/protocol/v2/wire.ts';
import { filled } from './deterministic-random.ts';

const NONCE = filled(8, 0x11);
const KEY = filled(32, 0x4b);
const COOKIE = filled(20, 0xc0);
const NONE = new Uint8Array(0);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('HELLO, wire version 3', () => {
  it('is 96 bytes with or without a cookie: header, nonce, key, cookie, extensions length, zeros', () => {
    const probe = encodeHello3({ nonce: NONCE, publicKey: KEY, cookie: null, extensions: NONE });
    const validated = encodeHello3({ nonce: NONCE, publicKey: KEY, cookie: COOKIE, extensions: NONE });
    assert.equal(probe.byteLength, 96);
    assert.equal(validated.byteLength, 96);
    assert.equal(hex(probe.subarray(0, 3)), 'ff0301');
    assert.deepEqual(probe.subarray(3, 11), NONCE);
    assert.equal(probe[43], 0);
    assert.equal(hex(probe.subarray(44, 46)), '0000');
    assert.equal(validated[43], 20);
    assert.deepEqual(validated.subarray(44, 64), COOKIE);
    assert.deepEqual(decodeHello3(validated), {
      ok: true,
      packet: { nonce: NONCE, publicKey: KEY, cookie: COOKIE, extensions: NONE },
    });
  });

  it('carries extensions (type, u16 length, value) and grows past 96 bytes when they need it', () => {
    const extensions = encodeExtensions([{ type: 0x7e, value: filled(60, 0xab) }]);
    const hello = encodeHello3({ nonce: NONCE, publicKey: KEY, cookie: COOKIE, extensions });
    assert.equal(hello.byteLength, 66 + 63);
    const decoded = decodeHello3(hello);
    assert.ok(decoded.ok);
    assert.deepEqual(decodeExtensions(decoded.packet.extensions), [{ type: 0x7e, value: filled(60, 0xab) }]);
  });

  it('refuses non-zero padding, a bad cookie length, broken extensions and a short datagram', () => {
    const hello = encodeHello3({ nonce: NONCE, publicKey: KEY, cookie: null, extensions: NONE });
    const padded = new Uint8Array(hello);
    padded[95] = 1;
    assert.deepEqual(decodeHello3(padded), { ok: false, reason: 'padding' });
    const cookie7 = new Uint8Array(hello);
    cookie7[43] = 7;
    assert.deepEqual(decodeHello3(cookie7), { ok: false, reason: 'length' });
    const broken = new Uint8Array(hello);
    broken.set([0x00, 0x02, 0x01, 0x00], 44);
    assert.deepEqual(decodeHello3(broken), { ok: false, reason: 'extensions' });
    assert.deepEqual(decodeHello3(hello.subarray(0, 95)), { ok: false, reason: 'short' });
    assert.deepEqual(decodeHello3(encodeHello({ nonce: NONCE, publicKey: KEY, cookie: null })), {
      ok: false,
      reason: 'version',
    });
  });
});

describe('RETRY and REJECT, wire version 3', () => {
  it('RETRY is 31 bytes: the nonce echoed and the cookie', () => {
    const retry = encodeRetry3({ nonce: NONCE, cookie: COOKIE });
    assert.equal(retry.byteLength, 31);
    assert.equal(hex(retry.subarray(0, 3)), 'ff0302');
    assert.deepEqual(decodeRetry3(retry), { ok: true, packet: { nonce: NONCE, cookie: COOKIE } });
    assert.deepEqual(decodeRetry3(retry.subarray(0, 30)), { ok: false, reason: 'short' });
  });

  it('REJECT is 12 bytes, and 28 for reason 4, which alone carries a reset token', () => {
    const full = encodeReject3({ echo: NONCE, reason: 3, token: null });
    assert.equal(hex(full), `ff0308${hex(NONCE)}03`);
    const token = filled(16, 0x70);
    const reset = encodeReject3({ echo: filled(8, 0x55), reason: 4, token });
    assert.equal(reset.byteLength, 28);
    assert.deepEqual(decodeReject3(reset), { ok: true, packet: { echo: filled(8, 0x55), reason: 4, token } });
    assert.deepEqual(decodeReject3(full), { ok: true, packet: { echo: NONCE, reason: 3, token: null } });
    assert.throws(() => encodeReject3({ echo: NONCE, reason: 4, token: null }), RangeError);
    assert.throws(() => encodeReject3({ echo: NONCE, reason: 3, token }), RangeError);
  });

  it('refuses a REJECT 4 without its token, a token on another reason, and unknown reasons', () => {
    const reset = encodeReject3({ echo: NONCE, reason: 4, token: filled(16, 1) });
    assert.deepEqual(decodeReject3(reset.subarray(0, 12)), { ok: false, reason: 'short' });
    const longFull = new Uint8Array([
      ...encodeReject3({ echo: NONCE, reason: 5, token: null }),
      ...filled(16, 1),
    ]);
    assert.deepEqual(decodeReject3(longFull), { ok: false, reason: 'length' });
    const unknown = encodeReject3({ echo: NONCE, reason: 1, token: null });
    unknown[11] = 9;
    assert.deepEqual(decodeReject3(unknown), { ok: false, reason: 'reason' });
  });
});

describe('version refusal across wire versions', () => {
  it('a wire-2 HELLO gets wire 2’s own REJECT 1, which a wire-2 client decodes (it then falls back to v1)', () => {
    const oldHello = encodeHello({ nonce: NONCE, publicKey: KEY, cookie: null });
    const reject = versionRejectFor(oldHello);
    assert.ok(reject !== null);
    assert.equal(hex(reject), `ff0208${hex(NONCE)}01`);
    assert.deepEqual(decodeReject(reject), {
      ok: true,
      packet: { type: 'reject', echo: NONCE, reason: 1, token: null },
    });
  });

  it('a HELLO of an unknown later version gets the same 12 bytes with version 3', () => {
    const future = encodeHello3({ nonce: NONCE, publicKey: KEY, cookie: null, extensions: NONE });
    future[1] = 9;
    assert.equal(hex(versionRejectFor(future) ?? new Uint8Array(0)), `ff0308${hex(NONCE)}01`);
  });

  it('answers nothing to a wire-3 HELLO, to another type, or to a datagram too short for a nonce', () => {
    assert.equal(
      versionRejectFor(encodeHello3({ nonce: NONCE, publicKey: KEY, cookie: null, extensions: NONE })),
      null,
    );
    assert.equal(versionRejectFor(new Uint8Array([0xff, 0x02, 0x04, ...filled(40, 0)])), null);
    assert.equal(versionRejectFor(new Uint8Array([0xff, 0x02, 0x01, ...filled(7, 0)])), null);
  });

  it('a wire-2 relay refuses our HELLO with REJECT 1, and a wire-3 client recognises it', () => {
    const ours = encodeHello3({ nonce: NONCE, publicKey: KEY, cookie: null, extensions: NONE });
    const echo = unsupportedVersionEcho(ours);
    assert.deepEqual(echo, NONCE);
    const theirs = encodeReject({ echo: NONCE, reason: 1, token: null });
    assert.deepEqual(readVersionReject(theirs), { version: 2, echo: NONCE });
    assert.equal(readVersionReject(encodeReject({ echo: NONCE, reason: 3, token: null })), null);
  });
});
