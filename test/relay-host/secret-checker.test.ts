import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import type { StoredCredential } from '../../src/relay/accounts.ts';
import type { CheckSecretTask } from '../../src/relay/output.ts';
import { checkTasks } from '../../src/relay-host/secret-checker.ts';
import {
  hashSecret,
  SCRYPT_KEY_BYTES,
  SCRYPT_SALT_BYTES,
  verifySecret,
} from '../../src/store/secret-hash.ts';

function task(id: number, secret: string, credential: StoredCredential): CheckSecretTask {
  return {
    type: 'check-secret',
    id,
    secret,
    record: { nick: 'alice', key: lookalikeKey('alice'), serverOperator: false, credential },
  };
}

describe('hashSecret: scrypt with a fresh salt', () => {
  it('stores scrypt N=16384 r=8 p=1, a 16-byte salt and a 32-byte hash, never the secret', async () => {
    const credential = await hashSecret('rightsecret');
    assert.equal(credential.algorithm, 'scrypt');
    assert.deepEqual([credential.N, credential.r, credential.p], [16384, 8, 1]);
    assert.equal(Buffer.from(credential.salt, 'base64').length, SCRYPT_SALT_BYTES);
    assert.equal(Buffer.from(credential.hash, 'base64').length, SCRYPT_KEY_BYTES);
    assert.ok(!JSON.stringify(credential).includes('rightsecret'));
  });

  it('the same secret hashed twice gets two salts and two hashes', async () => {
    const [a, b] = await Promise.all([hashSecret('same'), hashSecret('same')]);
    assert.notEqual(a.salt, b.salt);
    assert.notEqual(a.hash, b.hash);
  });
});

describe('verifySecret', () => {
  it('accepts the right secret and refuses any other', async () => {
    const credential = await hashSecret('correct horse');
    assert.equal(await verifySecret('correct horse', credential), true);
    for (const wrong of ['correct horsE', 'correct horse ', '', 'correct']) {
      assert.equal(await verifySecret(wrong, credential), false, JSON.stringify(wrong));
    }
  });

  it('composed and decomposed forms of an accented secret are the same secret (NFC)', async () => {
    const credential = await hashSecret('caf\u00e9');
    assert.equal(await verifySecret('cafe\u0301', credential), true);
  });

  it('a credential scrypt rejects is a failed check, not an exception', async () => {
    const good = await hashSecret('x');
    const broken: StoredCredential[] = [
      { ...good, N: 1000 },
      { ...good, r: 0 },
      { ...good, N: 0 },
      { ...good, p: 0.5 },
      { ...good, hash: '' },
      { ...good, salt: '' },
    ];
    for (const credential of broken) assert.equal(await verifySecret('x', credential), false);
  });
});

describe('checkTasks: the runner the relay server uses', () => {
  it('reports every task exactly once with its verdict', async () => {
    const credential = await hashSecret('rightsecret');
    const reports: [number, boolean][] = [];
    await checkTasks([task(1, 'rightsecret', credential), task(2, 'wrongsecret', credential)], (id, ok) =>
      reports.push([id, ok]),
    );
    assert.deepEqual(
      reports.sort((a, b) => a[0] - b[0]),
      [
        [1, true],
        [2, false],
      ],
    );
  });

  it('a check that throws is reported as a wrong secret', async () => {
    const credential = await hashSecret('x');
    const reports: [number, boolean][] = [];
    const explode = (): Promise<boolean> => Promise.reject(new Error('boom'));
    await checkTasks([task(7, 'x', credential)], (id, ok) => reports.push([id, ok]), explode);
    assert.deepEqual(reports, [[7, false]]);
  });

  it('does not hold up the caller: the verdict comes after the call returns', async () => {
    const credential = await hashSecret('x');
    let reported = false;
    const done = checkTasks([task(1, 'x', credential)], () => {
      reported = true;
    });
    assert.equal(reported, false);
    await done;
    assert.equal(reported, true);
  });
});
