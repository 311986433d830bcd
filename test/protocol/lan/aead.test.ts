/** The ChaCha20-Poly1305 wrapper against RFC 8439, and its refusals. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openAead, sealAead } from '../../../src/protocol/lan/aead.ts';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

/** RFC 8439 section 2.8.2, "Example and Test Vector for AEAD_CHACHA20_POLY1305". */
const RFC_KEY = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
const RFC_NONCE = hex('07000000 4041424344454647');
const RFC_AAD = hex('50515253c0c1c2c3c4c5c6c7');
const RFC_PLAINTEXT = new TextEncoder().encode(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);
const RFC_CIPHERTEXT = hex(`
  d31a8d34648e60db7b86afbc53ef7ec2 a4aded51296e08fea9e2b5a736ee62d6 3dbea45e8ca9671282fafb69da92728b
  1a71de0a9e060b2905d6a5b67ecd3b36 92ddbd7f2d778b8c9803aee328091b58 fab324e4fad675945585808b4831d7bc
  3ff4def08e4b7a9de576d26586cec64b 6116`);
const RFC_TAG = hex('1ae10b594f09e26a7e902ecbd0600691');

describe('AEAD_CHACHA20_POLY1305 (RFC 8439)', () => {
  it('seals the section 2.8.2 test vector to its ciphertext and tag', () => {
    const sealed = sealAead(RFC_KEY, RFC_NONCE, RFC_AAD, RFC_PLAINTEXT);
    assert.deepEqual(sealed, new Uint8Array([...RFC_CIPHERTEXT, ...RFC_TAG]));
  });

  it('opens the section 2.8.2 test vector to its plaintext', () => {
    const opened = openAead(RFC_KEY, RFC_NONCE, RFC_AAD, new Uint8Array([...RFC_CIPHERTEXT, ...RFC_TAG]));
    assert.deepEqual(opened, RFC_PLAINTEXT);
  });

  it('refuses the vector with any one bit of ciphertext, tag, associated data, nonce or key flipped', () => {
    const sealed = new Uint8Array([...RFC_CIPHERTEXT, ...RFC_TAG]);
    const flip = (bytes: Uint8Array, at: number): Uint8Array => {
      const copy = Uint8Array.from(bytes);
      copy[at] = (copy[at] ?? 0) ^ 0x01;
      return copy;
    };
    assert.equal(openAead(RFC_KEY, RFC_NONCE, RFC_AAD, flip(sealed, 0)), null);
    assert.equal(openAead(RFC_KEY, RFC_NONCE, RFC_AAD, flip(sealed, sealed.byteLength - 1)), null);
    assert.equal(openAead(RFC_KEY, RFC_NONCE, flip(RFC_AAD, 3), sealed), null);
    assert.equal(openAead(RFC_KEY, flip(RFC_NONCE, 11), RFC_AAD, sealed), null);
    assert.equal(openAead(flip(RFC_KEY, 31), RFC_NONCE, RFC_AAD, sealed), null);
  });

  it('refuses anything shorter than a tag, and accepts an empty plaintext', () => {
    assert.equal(openAead(RFC_KEY, RFC_NONCE, RFC_AAD, new Uint8Array(15)), null);
    const empty = sealAead(RFC_KEY, RFC_NONCE, RFC_AAD, new Uint8Array(0));
    assert.equal(empty.byteLength, 16);
    assert.deepEqual(openAead(RFC_KEY, RFC_NONCE, RFC_AAD, empty), new Uint8Array(0));
  });

  it('throws on a key or nonce of the wrong size (a wiring bug, not hostile input)', () => {
    assert.throws(() => sealAead(new Uint8Array(16), RFC_NONCE, RFC_AAD, RFC_PLAINTEXT), RangeError);
    assert.throws(() => openAead(RFC_KEY, new Uint8Array(8), RFC_AAD, new Uint8Array(32)), RangeError);
  });
});
