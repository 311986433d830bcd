import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, BOB, CAROL, Harness, lines, STRANGER, to } from '../support/relay-harness.ts';

describe('v1 relay, as the seed behaves', () => {
  it('a /join is announced to the others first, then the joiner is welcomed', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    const out = h.join(BOB, 'bob');
    assert.deepEqual(lines(out), ['40001 <- *** bob joined ***\\n', '40002 <- *** welcome, bob ***\\n']);
  });

  it('the first joiner is welcomed and nobody else is told', () => {
    const h = new Harness();
    assert.deepEqual(lines(h.join(ALICE, 'alice')), ['40001 <- *** welcome, alice ***\\n']);
  });

  it('an empty /join gets the seed default nickname anon', () => {
    const h = new Harness();
    assert.deepEqual(to(h.send(ALICE, '/join   \n'), ALICE), ['*** welcome, anon ***\n']);
  });

  it('surrounding whitespace of the nickname is stripped as the seed does', () => {
    const h = new Harness();
    assert.deepEqual(to(h.send(ALICE, '/join   alice  \n'), ALICE), ['*** welcome, alice ***\n']);
  });

  it('an address that has not joined is asked to /join first', () => {
    const h = new Harness();
    assert.deepEqual(lines(h.send(STRANGER, 'hello\n')), [
      '40009 <- *** please /join <nickname> first ***\\n',
    ]);
    assert.deepEqual(lines(h.send(STRANGER, '/ping\n')), [
      '40009 <- *** please /join <nickname> first ***\\n',
    ]);
  });

  it('/ping is answered with /pong to the sender only', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    assert.deepEqual(lines(h.send(ALICE, '/ping\n')), ['40001 <- /pong\\n']);
  });

  it('a chat line goes to every other joined client as <nick> text and is never echoed', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    h.join(CAROL, 'carol');
    const out = h.send(ALICE, 'hi everyone\n');
    assert.deepEqual(lines(out), ['40002 <- <alice> hi everyone\\n', '40003 <- <alice> hi everyone\\n']);
  });

  it('a line without its newline, or with \\r\\n, is accepted and relayed with exactly one \\n', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    assert.deepEqual(to(h.send(ALICE, 'no newline'), BOB), ['<alice> no newline\n']);
    assert.deepEqual(to(h.send(ALICE, 'crlf\r\n'), BOB), ['<alice> crlf\n']);
    assert.deepEqual(lines(h.send(ALICE, '/ping\r\n')), ['40001 <- /pong\\n']);
  });

  it('/leave is announced to the others as left, once, and nothing is relayed for that address after', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    assert.deepEqual(lines(h.send(ALICE, '/leave\n')), ['40002 <- *** alice left ***\\n']);
    assert.deepEqual(lines(h.send(ALICE, '/leave\n')), ['40001 <- *** please /join <nickname> first ***\\n']);
    assert.deepEqual(to(h.send(ALICE, 'still here?\n'), BOB), []);
    assert.equal(h.relay.sessions.size, 1);
  });

  it('a leaver frees its nickname for the next joiner', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    h.send(ALICE, '/leave\n');
    assert.deepEqual(to(h.join(BOB, 'alice'), BOB), ['*** welcome, alice ***\n']);
  });

  it('an empty datagram or a lone newline is ignored', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    assert.deepEqual(lines(h.send(ALICE, '')), []);
    assert.deepEqual(lines(h.send(ALICE, '\n\n')), []);
  });

  it('a line that merely starts with /join without a space, or /ping with words, is chat as in the seed', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    assert.deepEqual(to(h.send(ALICE, '/joinme\n'), BOB), ['<alice> /joinme\n']);
    assert.deepEqual(to(h.send(ALICE, '/ping now\n'), BOB), ['<alice> /ping now\n']);
  });

  it('SIGINT-style shutdown tells every client the server is going down', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    assert.deepEqual(lines(h.relay.shutdown(h.now)), [
      '40001 <- *** server going down ***\\n',
      '40002 <- *** server going down ***\\n',
    ]);
  });
});

describe('idle eviction (30 s idle, 5 s sweep by default)', () => {
  it('a client idle exactly the timeout is kept; one idle a moment longer is timed out at the next sweep', () => {
    const h = new Harness({ idleTimeoutMs: 30_000, sweepIntervalMs: 5_000 });
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    h.now = 5_000;
    h.send(BOB, '/ping\n');
    assert.deepEqual(lines(h.advance(25_000)), [], 'sweep at 30 s: alice idle exactly 30 s is kept');
    const out = h.advance(5_000);
    assert.deepEqual(lines(out), ['40002 <- *** alice timed out ***\\n']);
    assert.deepEqual(out.events, [{ type: 'departed', address: ALICE, nick: 'alice', reason: 'timed out' }]);
    assert.equal(h.relay.sessions.size, 1);
  });

  it('the edge is strict: idle by one millisecond more than the timeout is evicted', () => {
    const h = new Harness({ idleTimeoutMs: 1_000, sweepIntervalMs: 1_000 });
    h.now = 999;
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    h.advance(1_001); // sweep at 1000 and 2000: alice idle 1001 ms at 2000
    assert.equal(h.relay.sessions.size, 0);
  });

  it('any datagram from a joined client keeps it alive, even one that is refused', () => {
    const h = new Harness({ idleTimeoutMs: 10_000, sweepIntervalMs: 1_000 });
    h.join(ALICE, 'alice');
    for (let i = 0; i < 5; i++) {
      h.advance(9_000);
      h.send(ALICE, new Uint8Array([0xff, 0xfe]));
    }
    assert.equal(h.relay.sessions.size, 1);
  });

  it('a client that pings every 10 s is never evicted', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    for (let i = 0; i < 30; i++) {
      assert.deepEqual(lines(h.advance(10_000)), []);
      h.send(ALICE, '/ping\n');
    }
    assert.equal(h.relay.sessions.size, 1);
  });

  it('a late binding sweeps once, not once per missed interval', () => {
    const h = new Harness({ idleTimeoutMs: 1_000, sweepIntervalMs: 1_000 });
    h.join(ALICE, 'alice');
    h.now = 60_000;
    const out = h.relay.tick(h.now);
    assert.equal(out.transmits.length, 0);
    assert.equal(h.relay.sessions.size, 0);
    assert.equal(h.relay.nextTickAt(), 61_000);
  });
});
