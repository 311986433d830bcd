/** --group-key: the scrypt derivation with the group in the salt. */
import assert from 'node:assert/strict';
import { scrypt } from 'node:crypto';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { deriveGroupKey, GroupKey, groupKeySalt } from '../../../src/protocol/lan/group-key.ts';

const GROUP = { host: '239.255.0.1', port: 9999 };
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('group key derivation', () => {
  it('node scrypt is RFC 7914 scrypt (section 12, the N = 16384 vector)', async () => {
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt('pleaseletmein', 'SodiumChloride', 64, { N: 16_384, r: 8, p: 1 }, (error, derived) =>
        error ? reject(error) : resolve(derived),
      ),
    );
    assert.equal(
      key.toString('hex'),
      '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2' +
        'd5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
    );
  });

  it('salts with "udpchat lan group v1 " and the group as ADDR:PORT', () => {
    assert.equal(new TextDecoder().decode(groupKeySalt(GROUP)), 'udpchat lan group v1 239.255.0.1:9999');
  });

  it('derives the documented key for a fixed passphrase (N = 2^15, r = 8, p = 1, 32 bytes)', async () => {
    const key = await deriveGroupKey('correct horse battery staple', GROUP);
    assert.equal(toHex(key.bytes), 'e95856759fa926d2b98878d8249a3e210f67c17e0af1822bf065698c053db470');
  });

  it('normalises the passphrase to NFC: a precomposed and a decomposed "é" give one key', async () => {
    const composed = await deriveGroupKey('caf\u00e9', GROUP);
    const decomposed = await deriveGroupKey('cafe\u0301', GROUP);
    assert.equal(toHex(composed.bytes), toHex(decomposed.bytes));
    assert.equal(toHex(composed.bytes), 'ed5bd3ac92306fd6ef23c139a4111e2abe0fca579adc2b4d5380c2b1cdf281de');
  });

  it('gives another group another key for the same passphrase', async () => {
    const here = await deriveGroupKey('caf\u00e9', GROUP);
    const there = await deriveGroupKey('caf\u00e9', { host: '239.255.0.1', port: 9998 });
    assert.notEqual(toHex(here.bytes), toHex(there.bytes));
  });

  it('refuses an empty passphrase', async () => {
    await assert.rejects(deriveGroupKey('', GROUP), RangeError);
  });

  it('never prints the key, in a log line or as JSON', () => {
    const key = new GroupKey(new Uint8Array(32).fill(0xab));
    assert.equal(inspect(key), 'GroupKey {}');
    assert.equal(JSON.stringify({ key }), '{"key":"GroupKey"}');
    assert.doesNotMatch(inspect({ key }, { depth: 5 }), /ab/);
  });
});
