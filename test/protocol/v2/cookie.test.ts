import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CookieJar, type CookieSubject } from '../../../src/protocol/v2/cookie.ts';
import { COOKIE_SLOT_MS } from '../../../src/protocol/v2/limits.ts';
import { deterministicRandom, filled } from './deterministic-random.ts';

const SLOT = COOKIE_SLOT_MS;
/** Some time well inside slot 1,000. */
const T0 = 1_000 * SLOT + 1_234;
const ALICE: CookieSubject = {
  ip: '203.0.113.7',
  port: 40_000,
  nonce: filled(8, 0x11),
  publicKey: filled(32, 0x4b),
};

function jar(seed = 'jar'): { cookies: CookieJar; calls: () => number } {
  const { random, calls } = deterministicRandom(seed);
  return { cookies: new CookieJar(random), calls };
}

describe('stateless cookies (RFC 6347 §4.2.1, RFC 9000 §8.1)', () => {
  it('is 20 bytes: the slot index, then HMAC(secret, slot ‖ ip ‖ port ‖ nonce ‖ key)[0..16]', () => {
    const { random } = deterministicRandom('layout');
    const secret = deterministicRandom('layout').random(32);
    const cookie = new CookieJar(random).mint(T0, ALICE);
    assert.equal(cookie.byteLength, 20);
    assert.deepEqual([...cookie.subarray(0, 4)], [0, 0, 0x03, 0xe8]);
    const input = Buffer.concat([
      cookie.subarray(0, 4),
      Buffer.from(ALICE.ip),
      Buffer.from([40_000 >> 8, 40_000 & 0xff]),
      ALICE.nonce,
      ALICE.publicKey,
    ]);
    const mac = createHmac('sha256', secret).update(input).digest().subarray(0, 16);
    assert.deepEqual(cookie.subarray(4), new Uint8Array(mac));
  });

  it('is valid in its slot and the next one, and stale after', () => {
    const { cookies } = jar();
    const cookie = cookies.mint(T0, ALICE);
    const slotStart = T0 - (T0 % SLOT);
    assert.deepEqual(cookies.verify(slotStart, cookie, ALICE), { ok: true });
    assert.deepEqual(cookies.verify(slotStart + SLOT - 1, cookie, ALICE), { ok: true });
    assert.deepEqual(cookies.verify(slotStart + SLOT, cookie, ALICE), { ok: true });
    assert.deepEqual(cookies.verify(slotStart + 2 * SLOT - 1, cookie, ALICE), { ok: true });
    assert.deepEqual(cookies.verify(slotStart + 2 * SLOT, cookie, ALICE), { ok: false, reason: 'stale' });
    assert.deepEqual(cookies.verify(slotStart - 1, cookie, ALICE), { ok: false, reason: 'stale' });
  });

  it('fails for another address, port, nonce or key', () => {
    const { cookies } = jar();
    const cookie = cookies.mint(T0, ALICE);
    const others: CookieSubject[] = [
      { ...ALICE, ip: '203.0.113.8' },
      { ...ALICE, ip: '::ffff:203.0.113.7' },
      { ...ALICE, port: 40_001 },
      { ...ALICE, nonce: filled(8, 0x12) },
      { ...ALICE, publicKey: filled(32, 0x4c) },
    ];
    for (const other of others)
      assert.deepEqual(cookies.verify(T0, cookie, other), { ok: false, reason: 'mac' });
  });

  it('fails when any bit is flipped, when cut short, and when another jar minted it', () => {
    const { cookies } = jar();
    const cookie = cookies.mint(T0, ALICE);
    for (let bit = 0; bit < 160; bit++) {
      const bent = Uint8Array.from(cookie);
      bent[bit >> 3] = (bent[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      assert.equal(cookies.verify(T0, bent, ALICE).ok, false, `bit ${bit}`);
    }
    assert.deepEqual(cookies.verify(T0, cookie.subarray(0, 19), ALICE), { ok: false, reason: 'length' });
    assert.deepEqual(jar('another').cookies.verify(T0, cookie, ALICE), { ok: false, reason: 'mac' });
  });

  it('a forged cookie for the current slot fails even before the jar minted in it', () => {
    const { cookies } = jar();
    const forged = new Uint8Array(20);
    new DataView(forged.buffer).setUint32(0, Math.floor(T0 / SLOT));
    assert.deepEqual(cookies.verify(T0, forged, ALICE), { ok: false, reason: 'mac' });
  });
});

describe('secret rotation', () => {
  it('draws a new secret the first time each slot is used, and only then', () => {
    const { cookies, calls } = jar();
    cookies.mint(T0, ALICE);
    cookies.mint(T0 + 1, { ...ALICE, port: 1 });
    assert.equal(calls(), 1);
    const next = cookies.mint(T0 + SLOT, ALICE);
    assert.equal(calls(), 2);
    assert.notDeepEqual(next.subarray(4), cookies.mint(T0, ALICE).subarray(4));
  });

  it('keeps the previous slot’s secret for the overlap, and forgets older ones', () => {
    const { cookies } = jar();
    const old = cookies.mint(T0, ALICE);
    const newer = cookies.mint(T0 + SLOT, ALICE);
    assert.deepEqual(cookies.verify(T0 + SLOT, old, ALICE), { ok: true });
    cookies.mint(T0 + 2 * SLOT, ALICE);
    assert.deepEqual(cookies.verify(T0 + 2 * SLOT, newer, ALICE), { ok: true });
    assert.deepEqual(cookies.verify(T0 + 2 * SLOT, old, ALICE), { ok: false, reason: 'stale' });
  });

  it('a cookie verifies exactly when its slot is now’s or the previous one (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * SLOT }),
        fc.integer({ min: 0, max: 5 * SLOT }),
        (mintAt, wait) => {
          const { cookies } = jar();
          const cookie = cookies.mint(T0 + mintAt, ALICE);
          const age = Math.floor((T0 + mintAt + wait) / SLOT) - Math.floor((T0 + mintAt) / SLOT);
          assert.equal(cookies.verify(T0 + mintAt + wait, cookie, ALICE).ok, age <= 1);
        },
      ),
    );
  });

  it('refuses a time outside the u32 slot range, and a subject no HELLO could carry', () => {
    const { cookies } = jar();
    assert.throws(() => cookies.mint(-1, ALICE), RangeError);
    assert.throws(() => cookies.mint(T0, { ...ALICE, port: 70_000 }), RangeError);
    assert.throws(() => cookies.mint(T0, { ...ALICE, nonce: filled(4, 0) }), RangeError);
  });
});
