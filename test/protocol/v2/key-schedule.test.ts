import assert from 'node:assert/strict';
import { createHash, hkdfSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { deriveSessionSecrets, KEY_LABELS, packetNonce } from '../../../src/protocol/v2/key-schedule.ts';
import { transcriptBytes, transcriptHash } from '../../../src/protocol/v2/transcript.ts';
import { filled } from './deterministic-random.ts';

const raw = (key: { export(): Buffer }): Uint8Array => new Uint8Array(key.export());

const FIELDS = {
  nonce: filled(8, 0x11),
  clientKey: filled(32, 0xc1),
  helloExtensions: new Uint8Array(0),
  sessionId: filled(8, 0x55),
  relayEphemeralKey: filled(32, 0xe1),
  relayIdentityKey: filled(32, 0x1d),
};

describe('the handshake transcript', () => {
  it('is the label, magic, version 3 and the fields in order, the extensions with their u16 length', () => {
    const expected = Buffer.concat([
      Buffer.from('udpchat wire3 handshake'),
      Buffer.from([0xff, 0x03]),
      FIELDS.nonce,
      FIELDS.clientKey,
      Buffer.from([0x00, 0x03, 0x01, 0x00, 0x00]),
      FIELDS.sessionId,
      FIELDS.relayEphemeralKey,
      FIELDS.relayIdentityKey,
    ]);
    const withExtension = { ...FIELDS, helloExtensions: new Uint8Array([0x01, 0x00, 0x00]) };
    assert.deepEqual(transcriptBytes(withExtension), new Uint8Array(expected));
    assert.deepEqual(
      transcriptHash(withExtension),
      new Uint8Array(createHash('sha256').update(expected).digest()),
    );
    assert.equal(transcriptBytes(FIELDS).byteLength, 23 + 2 + 8 + 32 + 2 + 8 + 32 + 32);
  });

  it('changes with every field', () => {
    const base = transcriptHash(FIELDS);
    for (const name of Object.keys(FIELDS) as (keyof typeof FIELDS)[]) {
      const field = FIELDS[name];
      const altered = field.byteLength === 0 ? new Uint8Array([0x02, 0x00, 0x00]) : new Uint8Array(field);
      if (field.byteLength > 0) altered[0] = (altered[0] ?? 0) ^ 1;
      assert.notDeepEqual(transcriptHash({ ...FIELDS, [name]: altered }), base, name);
    }
  });

  it('a field of the wrong size is a caller bug', () => {
    assert.throws(() => transcriptBytes({ ...FIELDS, sessionId: filled(7, 0) }), RangeError);
    assert.throws(() => transcriptBytes({ ...FIELDS, relayIdentityKey: filled(33, 0) }), RangeError);
  });
});

describe('the key schedule', () => {
  const shared = filled(32, 0x5a);
  const th = transcriptHash(FIELDS);

  it('expands one PRK (salt = transcript hash) under each label, as HKDF-SHA256 would', () => {
    const secrets = deriveSessionSecrets(shared, th);
    const hkdf = (label: string, length: number): Uint8Array =>
      new Uint8Array(hkdfSync('sha256', shared, th, label, length));
    assert.deepEqual(raw(secrets.clientToRelay.key), hkdf(KEY_LABELS.clientToRelayKey, 32));
    assert.deepEqual(secrets.clientToRelay.iv, hkdf(KEY_LABELS.clientToRelayIv, 12));
    assert.deepEqual(raw(secrets.relayToClient.key), hkdf(KEY_LABELS.relayToClientKey, 32));
    assert.deepEqual(secrets.relayToClient.iv, hkdf(KEY_LABELS.relayToClientIv, 12));
    assert.deepEqual(raw(secrets.accept), hkdf(KEY_LABELS.accept, 32));
  });

  it('gives five different values, and other ones for another transcript', () => {
    const secrets = deriveSessionSecrets(shared, th);
    const values = [
      raw(secrets.clientToRelay.key),
      raw(secrets.relayToClient.key),
      raw(secrets.accept),
      secrets.clientToRelay.iv,
      secrets.relayToClient.iv,
    ].map((bytes) => Buffer.from(bytes).toString('hex'));
    assert.equal(new Set(values).size, 5);
    const other = deriveSessionSecrets(shared, transcriptHash({ ...FIELDS, sessionId: filled(8, 0x56) }));
    assert.notDeepEqual(raw(other.clientToRelay.key), raw(secrets.clientToRelay.key));
  });

  it('refuses inputs of the wrong size', () => {
    assert.throws(() => deriveSessionSecrets(filled(31, 1), th), RangeError);
    assert.throws(() => deriveSessionSecrets(shared, filled(16, 1)), RangeError);
  });
});

describe('packet nonces', () => {
  const iv = new Uint8Array(Buffer.from('000102030405060708090a0b', 'hex'));

  it('are the iv XOR the packet number, big-endian in the last four bytes', () => {
    assert.deepEqual(packetNonce(iv, 0), iv);
    assert.equal(Buffer.from(packetNonce(iv, 1)).toString('hex'), '000102030405060708090a0a');
    assert.equal(Buffer.from(packetNonce(iv, 0x01020304)).toString('hex'), '0001020304050607090b090f');
    assert.equal(Buffer.from(packetNonce(iv, 0xffff_ffff)).toString('hex'), '0001020304050607f7f6f5f4');
  });

  it('differ for every two packet numbers', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), fc.nat({ max: 0xffff_ffff }), (a, b) => {
        fc.pre(a !== b);
        assert.notDeepEqual(packetNonce(iv, a), packetNonce(iv, b));
      }),
    );
  });

  it('refuse a number that is not a u32, and leave the iv untouched', () => {
    for (const number of [-1, 2 ** 32, 1.5, Number.NaN])
      assert.throws(() => packetNonce(iv, number), RangeError);
    packetNonce(iv, 0xffff_ffff);
    assert.equal(Buffer.from(iv).toString('hex'), '000102030405060708090a0b');
  });
});
