import assert from 'node:assert/strict';
import { createHmac, scryptSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  deriveRoomKey,
  lanGroupSalt,
  normaliseRoomName,
  passphraseKey,
  RoomKey,
  roomKeySalt,
} from '../../src/protocol/room-key.ts';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

describe('room keys', () => {
  it('the scrypt underneath is RFC 7914’s (§12, second vector)', () => {
    const key = scryptSync('password', 'NaCl', 64, { N: 1024, r: 8, p: 16 });
    assert.equal(
      key.toString('hex'),
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
    );
  });

  it('salts with the label and the NFKC-folded, lowercased room name', () => {
    assert.equal(text(roomKeySalt('#Rust')), 'udpchat e2e room v1 #rust');
    assert.equal(text(roomKeySalt('#ｒｕｓｔ')), 'udpchat e2e room v1 #rust');
    assert.equal(normaliseRoomName('#ÉCOLE'), '#école');
    assert.equal(text(lanGroupSalt('239.0.0.1:9999')), 'udpchat lan group v1 239.0.0.1:9999');
  });

  it('is scrypt(NFC(passphrase), salt, N = 2^15, r = 8, p = 1, 32 bytes)', async () => {
    const salt = roomKeySalt('#rust');
    const expected = new Uint8Array(scryptSync('pass phrase', salt, 32, SCRYPT));
    assert.deepEqual(await passphraseKey('pass phrase', salt), expected);
  });

  it('a passphrase typed composed or decomposed gives one key', async () => {
    const salt = roomKeySalt('#rust');
    assert.deepEqual(await passphraseKey('caf\u00e9', salt), await passphraseKey('cafe\u0301', salt));
  });

  it('its id and line key are HMACs of K under their labels', () => {
    const secret = new Uint8Array(32).fill(0x42);
    const key = RoomKey.fromSecret(secret);
    const hmac = (label: string): Buffer => createHmac('sha256', secret).update(label).digest();
    assert.deepEqual(key.keyId, new Uint8Array(hmac('udpchat e2e key id v1').subarray(0, 4)));
    assert.deepEqual(new Uint8Array(key.lineKey.export()), new Uint8Array(hmac('udpchat e2e line key v1')));
  });

  it('another passphrase or another room gives another key id', async () => {
    const base = await deriveRoomKey('correct horse', '#rust');
    assert.notDeepEqual((await deriveRoomKey('correct horsE', '#rust')).keyId, base.keyId);
    assert.notDeepEqual((await deriveRoomKey('correct horse', '#go')).keyId, base.keyId);
    assert.deepEqual((await deriveRoomKey('correct horse', '#RUST')).keyId, base.keyId);
  });

  it('refuses an empty passphrase and a secret of the wrong size', async () => {
    await assert.rejects(passphraseKey('', roomKeySalt('#rust')), RangeError);
    assert.throws(() => RoomKey.fromSecret(new Uint8Array(31)), RangeError);
  });
});
