import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { ALICE, BOB, Harness, lines, to } from '../support/relay-harness.ts';

describe('flood control: throttle, do not kick', () => {
  it('a burst of 10 lines passes, the rest are dropped with one notice per second', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    let relayed = 0;
    let notices = 0;
    for (let i = 0; i < 100; i++) {
      const out = h.send(ALICE, `line ${i}\n`);
      relayed += to(out, BOB).length;
      notices += to(out, ALICE).filter(
        (l) => l === '*** you are sending too fast: line dropped ***\n',
      ).length;
    }
    assert.equal(relayed, 10);
    assert.equal(notices, 1);
    h.now += 1_000;
    for (let i = 0; i < 100; i++) relayed += to(h.send(ALICE, 'more\n'), BOB).length;
    assert.equal(relayed, 14, '4 lines per second sustained');
    assert.equal(h.relay.sessions.size, 2, 'the flooder is still there');
  });

  it('the others see nothing of the throttling', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    for (let i = 0; i < 50; i++) h.send(ALICE, 'x\n');
    assert.deepEqual(to(h.send(ALICE, 'y\n'), BOB), []);
  });

  it('keep-alives are never throttled', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    for (let i = 0; i < 20; i++) h.send(ALICE, 'x\n');
    assert.deepEqual(lines(h.send(ALICE, '/ping\n')), ['40001 <- /pong\\n']);
  });

  it('--line-rate 0 turns flood control off', () => {
    const h = new Harness({ lineRate: 0 });
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    let relayed = 0;
    for (let i = 0; i < 1000; i++) relayed += to(h.send(ALICE, 'x\n'), BOB).length;
    assert.equal(relayed, 1000);
  });

  it('one address cannot register more than --max-per-address clients', () => {
    const h = new Harness({ joinRate: 0 });
    let welcomed = 0;
    for (let port = 1; port <= 10_000; port++) {
      const from: Address = { host: '127.0.0.7', port };
      welcomed += to(h.send(from, `/join n${port}\n`), from).filter((l) =>
        l.startsWith('*** welcome'),
      ).length;
    }
    assert.equal(welcomed, 64);
    assert.equal(h.relay.sessions.size, 64);
    const other: Address = { host: '127.0.0.8', port: 1 };
    assert.deepEqual(to(h.send(other, '/join other\n'), other), ['*** welcome, other ***\n']);
  });

  it('registrations are rate-limited per address: a burst of 10, then 1 per second', () => {
    const h = new Harness();
    let welcomed = 0;
    for (let port = 1; port <= 1_000; port++) {
      const from: Address = { host: '127.0.0.7', port };
      welcomed += to(h.send(from, `/join n${port}\n`), from).filter((l) =>
        l.startsWith('*** welcome'),
      ).length;
    }
    assert.equal(welcomed, 10);
  });

  it('--max-per-address 0 turns the cap off', () => {
    const h = new Harness({ joinRate: 0, maxPerAddress: 0 });
    for (let port = 1; port <= 200; port++) h.send({ host: '127.0.0.7', port }, `/join n${port}\n`);
    assert.equal(h.relay.sessions.size, 200);
  });
});

describe('server-driven keep-alive (--keepalive server)', () => {
  const options = { keepalive: 'server' as const, keepaliveIntervalMs: 10_000, keepaliveMisses: 3 };

  it('pings a client silent for 10 s, re-pings every 2 s, and drops it after 3 unanswered pings', () => {
    const h = new Harness(options);
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    const seen: string[] = [];
    const at: number[] = [];
    for (let t = 0; t < 45; t++) {
      h.send(BOB, '/pong\n'); // bob answers everything (or keeps talking)
      const out = lines(h.advance(1_000));
      if (out.length > 0) at.push(h.now);
      seen.push(...out);
    }
    assert.deepEqual(at, [11_000, 13_000, 15_000, 17_000]);
    assert.deepEqual(seen, [
      '40001 <- /ping\\n',
      '40001 <- /ping\\n',
      '40001 <- /ping\\n',
      '40002 <- *** alice timed out ***\\n',
    ]);
  });

  it('an answered ping keeps the client', () => {
    const h = new Harness(options);
    h.join(ALICE, 'alice');
    for (let t = 0; t < 120; t++) {
      const out = h.advance(1_000);
      if (to(out, ALICE).includes('/ping\n')) h.send(ALICE, '/pong\n');
    }
    assert.equal(h.relay.sessions.size, 1);
  });

  it('a /pong is never relayed as chat', () => {
    const h = new Harness(options);
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    assert.deepEqual(lines(h.send(ALICE, '/pong\n')), []);
  });

  it('a client that pings by itself (the seed client) is never pinged', () => {
    const h = new Harness(options);
    h.join(ALICE, 'seed');
    for (let t = 0; t < 12; t++) {
      assert.deepEqual(to(h.advance(10_000), ALICE), []);
      h.send(ALICE, '/ping\n');
    }
  });
});
