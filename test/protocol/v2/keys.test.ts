import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  deriveSessionKeys,
  generateKeyPair,
  publicKeyOf,
  type SessionKeys,
  sharedSecret,
} from '../../../src/protocol/v2/keys.ts';
import { deterministicRandom, filled } from './deterministic-random.ts';

const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

/** RFC 7748 §6.1. */
const ALICE_PRIVATE = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
const ALICE_PUBLIC = fromHex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
const BOB_PRIVATE = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
const BOB_PUBLIC = fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
const RFC_SHARED = fromHex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');

/** Points whose X25519 output is all zero (the libsodium blacklist: 0, 1, order 8, p-1, p, p+1). */
const LOW_ORDER_POINTS = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map(fromHex);

const NONCE = filled(8, 0x11);
const SESSION = filled(8, 0x55);

function secretOf(result: ReturnType<typeof sharedSecret>): Uint8Array {
  assert.ok(result.ok, 'the shared secret was refused');
  return result.secret;
}

/** HKDF-SHA256 written out from RFC 5869 §2.2-2.3, for one 32-byte block, to pin salt and info. */
function referenceHkdf(shared: Uint8Array, salt: Uint8Array, info: string): Uint8Array {
  const prk = createHmac('sha256', salt).update(shared).digest();
  return new Uint8Array(
    createHmac('sha256', prk)
      .update(info)
      .update(new Uint8Array([1]))
      .digest(),
  );
}

describe('X25519 key pairs from injected randomness', () => {
  it('matches RFC 7748 §6.1: public keys and the shared secret', () => {
    assert.deepEqual(publicKeyOf(ALICE_PRIVATE), ALICE_PUBLIC);
    assert.deepEqual(publicKeyOf(BOB_PRIVATE), BOB_PUBLIC);
    assert.deepEqual(secretOf(sharedSecret(ALICE_PRIVATE, BOB_PUBLIC)), RFC_SHARED);
    assert.deepEqual(secretOf(sharedSecret(BOB_PRIVATE, ALICE_PUBLIC)), RFC_SHARED);
  });

  it('the DER prefixes round-trip with keys node:crypto generated itself', () => {
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    const rawPrivate = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32));
    const rawPublic = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
    assert.deepEqual(publicKeyOf(rawPrivate), rawPublic);
  });

  it('is deterministic for a deterministic source, and different for another seed', () => {
    const first = generateKeyPair(deterministicRandom('seed').random);
    assert.deepEqual(generateKeyPair(deterministicRandom('seed').random), first);
    assert.notDeepEqual(generateKeyPair(deterministicRandom('other').random).publicKey, first.publicKey);
    assert.equal(first.privateKey.byteLength, 32);
    assert.equal(first.publicKey.byteLength, 32);
  });

  it('a random source that returns the wrong length is a wiring bug', () => {
    assert.throws(() => generateKeyPair(() => new Uint8Array(31)), RangeError);
  });

  it('refuses every low-order public key: the all-zero secret is an error value', () => {
    const mine = generateKeyPair(deterministicRandom('mine').random);
    for (const point of LOW_ORDER_POINTS) {
      assert.deepEqual(sharedSecret(mine.privateKey, point), { ok: false, reason: 'low-order' });
    }
  });

  it('refuses raw keys of the wrong size', () => {
    assert.deepEqual(sharedSecret(filled(31, 1), BOB_PUBLIC), { ok: false, reason: 'key' });
    assert.deepEqual(sharedSecret(ALICE_PRIVATE, filled(33, 1)), { ok: false, reason: 'key' });
  });
});

describe('session keys (HKDF-SHA256, salt = nonce ‖ session id)', () => {
  function handshake(seed: string, nonce: Uint8Array, sessionId: Uint8Array): [SessionKeys, SessionKeys] {
    const client = generateKeyPair(deterministicRandom(`${seed}/client`).random);
    const relay = generateKeyPair(deterministicRandom(`${seed}/relay`).random);
    const clientSide = secretOf(sharedSecret(client.privateKey, relay.publicKey));
    const relaySide = secretOf(sharedSecret(relay.privateKey, client.publicKey));
    return [deriveSessionKeys(clientSide, nonce, sessionId), deriveSessionKeys(relaySide, nonce, sessionId)];
  }

  it('client and relay derive the same two keys, and the two directions differ', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const [client, relay] = handshake(seed, NONCE, SESSION);
        assert.deepEqual(client, relay);
        assert.notDeepEqual(client.clientToRelay, client.relayToClient);
      }),
      { numRuns: 50 },
    );
  });

  it('uses exactly the spec’s salt and info strings', () => {
    const shared = RFC_SHARED;
    const salt = new Uint8Array([...NONCE, ...SESSION]);
    assert.deepEqual(deriveSessionKeys(shared, NONCE, SESSION), {
      clientToRelay: referenceHkdf(shared, salt, 'udpchat v2 client->relay'),
      relayToClient: referenceHkdf(shared, salt, 'udpchat v2 relay->client'),
      resetMask: referenceHkdf(shared, salt, 'udpchat v2 reset mask').subarray(0, 16),
    });
  });

  it('another nonce or another session id gives other keys', () => {
    const [base] = handshake('s', NONCE, SESSION);
    const [otherNonce] = handshake('s', filled(8, 0x12), SESSION);
    const [otherSession] = handshake('s', NONCE, filled(8, 0x56));
    for (const other of [otherNonce, otherSession]) {
      assert.notDeepEqual(other.clientToRelay, base.clientToRelay);
      assert.notDeepEqual(other.relayToClient, base.relayToClient);
    }
  });

  it('refuses a salt of the wrong size', () => {
    assert.throws(() => deriveSessionKeys(RFC_SHARED, filled(7, 0), SESSION), RangeError);
  });
});
