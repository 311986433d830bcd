import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fingerprint, fingerprintMatches, parseFingerprint } from '../../../src/protocol/v2/fingerprint.ts';

const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

/** RFC 8032 §7.1 test 1's public key; its fingerprint was computed with sha256sum and base64. */
const KEY = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const PRINT = 'SHA256:If4x36FUomFia/hUBG/SJxt77UtqvkWqWId+9H+XIbk';

describe('relay fingerprints, in OpenSSH format', () => {
  it('is SHA256: and the unpadded base64 of SHA-256 over the raw key', () => {
    assert.equal(fingerprint(KEY), PRINT);
    assert.equal(PRINT.length, 50);
  });

  it('parses what it prints, for any key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        const text = fingerprint(key);
        assert.match(text, /^SHA256:[A-Za-z0-9+/]{43}$/);
        assert.notEqual(parseFingerprint(text), null);
        assert.equal(fingerprintMatches(text, key), true);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses anything that is not exactly one fingerprint', () => {
    const refused = [
      '',
      PRINT.slice(7),
      `sha256:${PRINT.slice(7)}`,
      `MD5:${PRINT.slice(7)}`,
      `${PRINT}=`,
      PRINT.slice(0, -1),
      `${PRINT}A`,
      `${PRINT.slice(0, -1)}l`,
      PRINT.replace('/', '_'),
      ` ${PRINT}`,
    ];
    for (const text of refused) assert.equal(parseFingerprint(text), null, text);
  });

  it('a pin matches its key only', () => {
    const other = new Uint8Array(KEY);
    other[0] = (other[0] ?? 0) ^ 1;
    assert.equal(fingerprintMatches(PRINT, KEY), true);
    assert.equal(fingerprintMatches(PRINT, other), false);
    assert.equal(fingerprintMatches('SHA256:nonsense', KEY), false);
    assert.equal(fingerprintMatches(PRINT, new Uint8Array(31)), false);
  });

  it('a key of the wrong size is a caller bug', () => {
    assert.throws(() => fingerprint(new Uint8Array(33)), RangeError);
  });
});
