import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import type { AccountDirectory, AccountRecord } from '../../src/relay/accounts.ts';
import type { CheckSecretTask, RelayOutput } from '../../src/relay/output.ts';
import { ALICE, BOB, CAROL, Harness, STRANGER, to } from '../support/relay-harness.ts';

const AUTH_FAILED = '*** authentication failed ***\n';
const TRY_LATER = '*** too many attempts from your address: try again later ***\n';

/** The core never looks inside a credential: the binding checks it. */
function account(nick: string, serverOperator = false): AccountRecord {
  return {
    nick,
    key: lookalikeKey(nick),
    serverOperator,
    credential: { algorithm: 'scrypt', salt: 'c2FsdA==', hash: 'aGFzaA==', N: 16384, r: 8, p: 1 },
  };
}

function directory(...records: AccountRecord[]): AccountDirectory {
  const byKey = new Map(records.map((record) => [record.key, record]));
  return { find: (key: string) => byKey.get(key) };
}

function withAccounts(registeredOnly = false): Harness {
  return new Harness({ accounts: directory(account('alice'), account('root', true)), registeredOnly });
}

function onlyTask(out: RelayOutput): CheckSecretTask {
  assert.equal(out.tasks.length, 1, 'one check-secret task');
  const [task] = out.tasks;
  assert.ok(task !== undefined && task.type === 'check-secret');
  return task;
}

/** A wrong secret, answered by the binding at once. */
function failOnce(h: Harness, from: Address): RelayOutput {
  const out = h.send(from, '/join alice wrongsecret\n');
  if (out.tasks.length === 0) return out;
  return h.relay.secretChecked(h.now, onlyTask(out).id, false);
}

describe('authenticated join: /join <nick> <secret> for a registered nick', () => {
  it('the right secret: a check-secret task, then the welcome once the binding says yes', () => {
    const h = withAccounts();
    const asked = h.send(ALICE, '/join alice rightsecret\n');
    const task = onlyTask(asked);
    assert.equal(task.type, 'check-secret');
    assert.equal(task.record.nick, 'alice');
    assert.equal(task.secret, 'rightsecret');
    assert.deepEqual(asked.transmits, [], 'nothing is said before the verdict');
    assert.equal(h.relay.sessions.size, 0);
    const answered = h.relay.secretChecked(h.now, task.id, true);
    assert.deepEqual(to(answered, ALICE), ['*** welcome, alice ***\n']);
    assert.equal(h.relay.sessions.get(ALICE)?.account, lookalikeKey('alice'));
  });

  it('a secret with spaces inside is handed to the binding whole', () => {
    const h = withAccounts();
    assert.equal(
      onlyTask(h.send(ALICE, '/join alice correct horse battery\n')).secret,
      'correct horse battery',
    );
  });

  it('a wrong secret gets the generic refusal and no session', () => {
    const h = withAccounts();
    const out = failOnce(h, ALICE);
    assert.deepEqual(to(out, ALICE), [AUTH_FAILED]);
    assert.deepEqual(out.events, [{ type: 'refused', address: ALICE, reason: 'auth-failed' }]);
    assert.equal(h.relay.sessions.size, 0);
  });

  it('a registered nick without a secret gets the same refusal, with no check at all', () => {
    const h = withAccounts();
    const out = h.send(ALICE, '/join alice\n');
    assert.deepEqual(to(out, ALICE), [AUTH_FAILED]);
    assert.deepEqual(out.tasks, []);
    assert.equal(h.relay.sessions.size, 0);
  });

  it('a secret over the length limit is refused the same way, unchecked', () => {
    const h = withAccounts();
    const out = h.send(ALICE, `/join alice ${'x'.repeat(129)}\n`);
    assert.deepEqual(to(out, ALICE), [AUTH_FAILED]);
    assert.deepEqual(out.tasks, []);
  });

  it("a look-alike of a registered nick needs that account's secret", () => {
    const h = withAccounts();
    for (const variant of ['Alice', 'ALICE', 'аlice', 'al1ce']) {
      h.now += 5_000;
      const out = h.send(BOB, `/join ${variant}\n`);
      assert.deepEqual(to(out, BOB), [AUTH_FAILED], variant);
    }
    const task = onlyTask(h.send(BOB, '/join Alice rightsecret\n'));
    assert.equal(task.record.nick, 'alice');
  });

  it('an unregistered nick joins at once, first come first served, and a secret sent with it is ignored', () => {
    const h = withAccounts();
    const out = h.send(BOB, '/join bob whatever\n');
    assert.deepEqual(out.tasks, []);
    assert.deepEqual(to(out, BOB), ['*** welcome, bob ***\n']);
    assert.equal(h.relay.sessions.get(BOB)?.account, null);
  });

  it('a server operator account makes the session a server operator', () => {
    const h = withAccounts();
    const task = onlyTask(h.send(CAROL, '/join root s3cret\n'));
    h.relay.secretChecked(h.now, task.id, true);
    assert.equal(h.relay.sessions.get(CAROL)?.serverOperator, true);
  });

  it('a verdict for an unknown or already answered task changes nothing', () => {
    const h = withAccounts();
    const task = onlyTask(h.send(ALICE, '/join alice rightsecret\n'));
    h.relay.secretChecked(h.now, task.id, true);
    const again = h.relay.secretChecked(h.now, task.id, true);
    assert.deepEqual(again, { transmits: [], events: [], tasks: [] });
    assert.deepEqual(h.relay.secretChecked(h.now, 999, true), { transmits: [], events: [], tasks: [] });
  });
});

describe('--registered-only', () => {
  it('an unregistered nick is refused with the generic refusal', () => {
    const h = withAccounts(true);
    const out = h.send(BOB, '/join bob\n');
    assert.deepEqual(to(out, BOB), [AUTH_FAILED]);
    assert.equal(h.relay.sessions.size, 0);
  });

  it('a registered nick with its secret still joins', () => {
    const h = withAccounts(true);
    const task = onlyTask(h.send(ALICE, '/join alice rightsecret\n'));
    assert.deepEqual(to(h.relay.secretChecked(h.now, task.id, true), ALICE), ['*** welcome, alice ***\n']);
  });
});

describe('failed logins are rate-limited per host', () => {
  it('the 6th failure from one host within a minute is told to try later, and nothing is checked', () => {
    const h = withAccounts();
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(to(failOnce(h, ALICE), ALICE), [AUTH_FAILED], `failure ${i + 1}`);
      h.now += 1_000;
    }
    const sixth = h.send(ALICE, '/join alice rightsecret\n');
    assert.deepEqual(to(sixth, ALICE), [TRY_LATER]);
    assert.deepEqual(sixth.tasks, [], 'not even the right secret is checked');
  });

  it('the limit is per host: another port on the same host is limited too, another host is not', () => {
    const h = withAccounts();
    for (let i = 0; i < 5; i++) {
      failOnce(h, ALICE);
      h.now += 1_000;
    }
    assert.deepEqual(to(h.send(BOB, '/join alice s\n'), BOB), [TRY_LATER], 'same host, other port');
    assert.equal(onlyTask(h.send(STRANGER, '/join alice s\n')).record.nick, 'alice');
  });

  it('after a minute the host may try again', () => {
    const h = withAccounts();
    for (let i = 0; i < 5; i++) {
      failOnce(h, ALICE);
      h.now += 1_000; // past the limit on replies to an unjoined address
    }
    assert.deepEqual(to(h.send(ALICE, '/join alice s\n'), ALICE), [TRY_LATER]);
    h.now += 60_000;
    onlyTask(h.send(ALICE, '/join alice s\n'));
  });

  it('a second login from the same address while one is being checked is told to try later', () => {
    const h = withAccounts();
    onlyTask(h.send(ALICE, '/join alice one\n'));
    const out = h.send(ALICE, '/join alice two\n');
    assert.deepEqual(out.tasks, []);
    assert.deepEqual(to(out, ALICE), [TRY_LATER]);
  });
});

describe('the nick may be taken while its secret is checked', () => {
  it('two right logins race: the first verdict wins, the second is told the nick is in use', () => {
    const h = withAccounts();
    const first = onlyTask(h.send(ALICE, '/join alice rightsecret\n'));
    const second = onlyTask(h.send(BOB, '/join alice rightsecret\n'));
    assert.deepEqual(to(h.relay.secretChecked(h.now, first.id, true), ALICE), ['*** welcome, alice ***\n']);
    const late = h.relay.secretChecked(h.now, second.id, true);
    assert.deepEqual(to(late, BOB), ['*** nickname alice is already in use ***\n']);
    assert.equal(h.relay.sessions.get(BOB), undefined);
    assert.equal(h.relay.sessions.size, 1);
  });
});

describe('the secret stays in the task', () => {
  it('the task carries the secret; no event and no datagram does', () => {
    const h = withAccounts();
    const outputs: RelayOutput[] = [];
    const wrong = h.send(BOB, '/join alice wrongsecret\n');
    outputs.push(wrong, h.relay.secretChecked(h.now, onlyTask(wrong).id, false));
    const asked = h.send(ALICE, '/join alice rightsecret\n');
    outputs.push(asked, h.relay.secretChecked(h.now, onlyTask(asked).id, true));
    outputs.push(h.send(CAROL, '/join alice rightsecret\n'));
    const decoder = new TextDecoder();
    for (const out of outputs) {
      const events = JSON.stringify(out.events);
      const sent = out.transmits.map((t) => decoder.decode(t.payload)).join('');
      for (const secret of ['rightsecret', 'wrongsecret']) {
        assert.ok(!events.includes(secret), `event leaked ${secret}: ${events}`);
        assert.ok(!sent.includes(secret), `datagram leaked ${secret}: ${sent}`);
      }
    }
    assert.equal(onlyTask(asked).secret, 'rightsecret');
  });
});
