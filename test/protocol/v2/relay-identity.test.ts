import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import {
  PROOF_LABEL,
  proofMessage,
  RelayIdentity,
  verifyProof,
} from '../../../src/protocol/v2/relay-identity.ts';
import { deterministicRandom } from './deterministic-random.ts';

const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** RFC 8032 §7.1, tests 1 and 2. */
const TEST1_SEED = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const TEST1_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const TEST2_SEED = fromHex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
const TEST2_PUBLIC = '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c';

const TH = createHash('sha256').update('a transcript').digest();

describe('the relay identity (Ed25519)', () => {
  it('derives RFC 8032 §7.1 public keys from their seeds', () => {
    assert.equal(toHex(RelayIdentity.fromSeed(TEST1_SEED).publicKey), TEST1_PUBLIC);
    assert.equal(toHex(RelayIdentity.fromSeed(TEST2_SEED).publicKey), TEST2_PUBLIC);
  });

  it('proves with an Ed25519 signature over the label and the transcript hash', () => {
    const identity = RelayIdentity.fromSeed(TEST1_SEED);
    const proof = identity.prove(TH);
    assert.equal(proof.byteLength, 64);
    assert.deepEqual(proofMessage(TH), new Uint8Array([...Buffer.from(PROOF_LABEL), ...TH]));
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(identity.publicKey).toString('base64url') },
      format: 'jwk',
    });
    assert.equal(verify(null, proofMessage(TH), key, proof), true);
    assert.deepEqual(identity.prove(TH), proof, 'Ed25519 is deterministic');
  });

  it('a proof verifies only for its key and its transcript', () => {
    const identity = RelayIdentity.fromSeed(TEST1_SEED);
    const proof = identity.prove(TH);
    assert.equal(verifyProof(identity.publicKey, TH, proof), true);
    const otherTh = new Uint8Array(TH);
    otherTh[0] = (otherTh[0] ?? 0) ^ 1;
    assert.equal(verifyProof(identity.publicKey, otherTh, proof), false);
    assert.equal(verifyProof(RelayIdentity.fromSeed(TEST2_SEED).publicKey, TH, proof), false);
    for (let bit = 0; bit < 512; bit += 11) {
      const altered = new Uint8Array(proof);
      altered[bit >> 3] = (altered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      assert.equal(verifyProof(identity.publicKey, TH, altered), false, `bit ${bit}`);
    }
  });

  it('verification never throws on hostile keys or proofs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 70 }), (key, proof) => {
        assert.equal(typeof verifyProof(key, TH, proof), 'boolean');
      }),
      { numRuns: 500 },
    );
    assert.equal(verifyProof(new Uint8Array(32).fill(0xff), TH, new Uint8Array(64)), false);
  });

  it('round-trips through its identity file text (PKCS#8 PEM) and reads one openssl would write', () => {
    const identity = RelayIdentity.generate(deterministicRandom('relay').random);
    const pem = identity.toPem();
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.deepEqual(RelayIdentity.fromPem(pem)?.publicKey, identity.publicKey);
    const external = generateKeyPairSync('ed25519');
    const pemExternal = external.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const rawPublic = external.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    assert.deepEqual(RelayIdentity.fromPem(pemExternal)?.publicKey, new Uint8Array(rawPublic));
  });

  it('refuses an identity file that is not an Ed25519 private key', () => {
    const x25519 = generateKeyPairSync('x25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    for (const text of [
      '',
      'not a key',
      x25519,
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    ]) {
      assert.equal(RelayIdentity.fromPem(text), null);
    }
  });

  it('its reset key survives a restart (same seed) and differs between relays', () => {
    const hex = (identity: RelayIdentity): string => identity.resetKey.export().toString('hex');
    assert.equal(hex(RelayIdentity.fromSeed(TEST1_SEED)), hex(RelayIdentity.fromSeed(TEST1_SEED)));
    const reread = RelayIdentity.fromPem(RelayIdentity.fromSeed(TEST1_SEED).toPem());
    assert.ok(reread !== null);
    assert.equal(hex(reread), hex(RelayIdentity.fromSeed(TEST1_SEED)));
    assert.notEqual(hex(RelayIdentity.fromSeed(TEST2_SEED)), hex(RelayIdentity.fromSeed(TEST1_SEED)));
  });

  it('prints neither its seed nor its reset key', () => {
    const identity = RelayIdentity.fromSeed(TEST1_SEED);
    const shown = inspect(identity, { depth: 5 }) + JSON.stringify(identity);
    assert.doesNotMatch(shown, /9d61b19d|nWGxne/);
    assert.doesNotMatch(shown, new RegExp(identity.resetKey.export().toString('hex').slice(0, 12)));
  });

  it('a seed or transcript hash of the wrong size is a caller bug', () => {
    assert.throws(() => RelayIdentity.fromSeed(new Uint8Array(31)), RangeError);
    assert.throws(() => RelayIdentity.fromSeed(TEST1_SEED).prove(new Uint8Array(31)), RangeError);
  });
});
