import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { publicKeyOf, sharedSecret } from '../../../src/protocol/v2/keys.ts';
import { isSmallOrderPoint, X25519Secret } from '../../../src/protocol/v2/x25519.ts';
import { deterministicRandom } from './deterministic-random.ts';

const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

/** RFC 7748 §6.1. */
const ALICE_PRIVATE = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
const ALICE_PUBLIC = fromHex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
const BOB_PRIVATE = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
const BOB_PUBLIC = fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
const RFC_SHARED = fromHex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');

const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map(fromHex);

function withTopBit(point: Uint8Array): Uint8Array {
  const copy = new Uint8Array(point);
  copy[31] = (copy[31] ?? 0) | 0x80;
  return copy;
}

describe('X25519 through JWK import', () => {
  it('matches RFC 7748 §6.1: public keys and the shared secret, both ways', () => {
    const alice = X25519Secret.fromPrivate(ALICE_PRIVATE);
    const bob = X25519Secret.fromPrivate(BOB_PRIVATE);
    assert.deepEqual(alice.publicKey, ALICE_PUBLIC);
    assert.deepEqual(bob.publicKey, BOB_PUBLIC);
    assert.deepEqual(alice.agree(BOB_PUBLIC), { ok: true, secret: RFC_SHARED });
    assert.deepEqual(bob.agree(ALICE_PUBLIC), { ok: true, secret: RFC_SHARED });
  });

  it('gives the same keys and secrets as the DER path of wire version 2 (keys.ts)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (a, b) => {
          const mine = X25519Secret.fromPrivate(a);
          assert.deepEqual(mine.publicKey, publicKeyOf(a));
          const theirs = publicKeyOf(b);
          const reference = sharedSecret(a, theirs);
          const agreed = mine.agree(theirs);
          assert.equal(agreed.ok, reference.ok);
          if (agreed.ok && reference.ok) assert.deepEqual(agreed.secret, reference.secret);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('screens every small-order point, with or without the ignored top bit, without a Diffie-Hellman', () => {
    const mine = X25519Secret.generate(deterministicRandom('mine').random);
    for (const point of SMALL_ORDER) {
      for (const encoding of [point, withTopBit(point)]) {
        assert.equal(isSmallOrderPoint(encoding), true);
        assert.deepEqual(mine.agree(encoding), { ok: false, reason: 'small-order' });
      }
    }
    assert.equal(isSmallOrderPoint(ALICE_PUBLIC), false);
    assert.equal(isSmallOrderPoint(new Uint8Array(31)), false);
  });

  it('refuses a peer key of the wrong size as a value', () => {
    const mine = X25519Secret.fromPrivate(ALICE_PRIVATE);
    assert.deepEqual(mine.agree(new Uint8Array(31)), { ok: false, reason: 'key' });
    assert.deepEqual(mine.agree(new Uint8Array(33)), { ok: false, reason: 'key' });
  });

  it('is deterministic for a deterministic source, and never prints the private key', () => {
    const first = X25519Secret.generate(deterministicRandom('seed').random);
    assert.deepEqual(X25519Secret.generate(deterministicRandom('seed').random).publicKey, first.publicKey);
    const privateHex = Buffer.from(deterministicRandom('seed').random(32)).toString('hex');
    assert.doesNotMatch(inspect(first, { depth: 5 }), new RegExp(privateHex.slice(0, 16)));
    assert.throws(() => X25519Secret.fromPrivate(new Uint8Array(31)), RangeError);
  });
});
