import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { aeadKey, openAead, sealAead } from '../../../src/protocol/v2/aead.ts';

const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** RFC 8439 §2.8.2: the AEAD_CHACHA20_POLY1305 test vector. */
const RFC = {
  key: fromHex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f'),
  nonce: fromHex('070000004041424344454647'),
  aad: fromHex('50515253c0c1c2c3c4c5c6c7'),
  plaintext: new TextEncoder().encode(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  ),
  ciphertext: fromHex(`
    d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
    3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
    92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
    3ff4def08e4b7a9de576d26586cec64b6116`),
  tag: fromHex('1ae10b594f09e26a7e902ecbd0600691'),
};

const sealedRfc = new Uint8Array([...RFC.ciphertext, ...RFC.tag]);

describe('the AEAD: ChaCha20-Poly1305 with the tag appended', () => {
  it('seals RFC 8439 §2.8.2 to its ciphertext and tag', () => {
    const sealed = sealAead(aeadKey(RFC.key), RFC.nonce, RFC.plaintext, RFC.aad);
    assert.equal(toHex(sealed), toHex(sealedRfc));
  });

  it('opens RFC 8439 §2.8.2 to its plaintext', () => {
    assert.deepEqual(openAead(aeadKey(RFC.key), RFC.nonce, sealedRfc, RFC.aad), RFC.plaintext);
  });

  it('refuses the vector with any one bit flipped in ciphertext, tag or associated data', () => {
    const key = aeadKey(RFC.key);
    for (let bit = 0; bit < sealedRfc.byteLength * 8; bit += 7) {
      const altered = new Uint8Array(sealedRfc);
      altered[bit >> 3] = (altered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      assert.equal(openAead(key, RFC.nonce, altered, RFC.aad), null, `bit ${bit}`);
    }
    for (let bit = 0; bit < RFC.aad.byteLength * 8; bit++) {
      const aad = new Uint8Array(RFC.aad);
      aad[bit >> 3] = (aad[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      assert.equal(openAead(key, RFC.nonce, sealedRfc, aad), null, `aad bit ${bit}`);
    }
  });

  it('refuses another key, another nonce, a truncated input and one shorter than a tag', () => {
    const other = new Uint8Array(RFC.key);
    other[0] = (other[0] ?? 0) ^ 1;
    const nonce = new Uint8Array(RFC.nonce);
    nonce[11] = (nonce[11] ?? 0) ^ 1;
    assert.equal(openAead(aeadKey(other), RFC.nonce, sealedRfc, RFC.aad), null);
    assert.equal(openAead(aeadKey(RFC.key), nonce, sealedRfc, RFC.aad), null);
    assert.equal(openAead(aeadKey(RFC.key), RFC.nonce, sealedRfc.subarray(0, -1), RFC.aad), null);
    assert.equal(openAead(aeadKey(RFC.key), RFC.nonce, sealedRfc.subarray(1), RFC.aad), null);
    assert.equal(openAead(aeadKey(RFC.key), RFC.nonce, new Uint8Array(15), RFC.aad), null);
  });

  it('round-trips any plaintext and associated data, the empty plaintext included', () => {
    const key = aeadKey(new Uint8Array(32).fill(7));
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1300 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        (plaintext, aad, nonce) => {
          const sealed = sealAead(key, nonce, plaintext, aad);
          assert.equal(sealed.byteLength, plaintext.byteLength + 16);
          assert.deepEqual(openAead(key, nonce, sealed, aad), plaintext);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('opening never throws, whatever the sealed bytes', () => {
    const key = aeadKey(new Uint8Array(32).fill(9));
    const nonce = new Uint8Array(12);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1300 }), fc.uint8Array({ maxLength: 40 }), (sealed, aad) => {
        assert.equal(openAead(key, nonce, sealed, aad), null);
      }),
      { numRuns: 1000 },
    );
  });

  it('a key prints nothing of its bytes', () => {
    const raw = new Uint8Array(32).fill(0xab);
    const shown = `${inspect(aeadKey(raw))} ${JSON.stringify({ key: aeadKey(raw) })} ${String(aeadKey(raw))}`;
    assert.doesNotMatch(shown, /abab|q6ur/i);
  });

  it('a wrong key or nonce size is a caller bug', () => {
    assert.throws(() => aeadKey(new Uint8Array(31)), RangeError);
    assert.throws(() => sealAead(aeadKey(RFC.key), new Uint8Array(8), RFC.plaintext, RFC.aad), RangeError);
    assert.throws(() => openAead(aeadKey(RFC.key), new Uint8Array(24), sealedRfc, RFC.aad), RangeError);
  });
});
