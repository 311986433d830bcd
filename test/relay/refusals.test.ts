import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { Relay } from '../../src/relay/relay.ts';
import { ALICE, BOB, CAROL, Harness, lines, STRANGER, to } from '../support/relay-harness.ts';

function joinedPair(): Harness {
  const h = new Harness();
  h.join(ALICE, 'alice');
  h.join(BOB, 'bob');
  return h;
}

describe('nicknames are unique', () => {
  it('a second /join with the same nick from another address is refused and not registered', () => {
    const h = new Harness();
    h.join(ALICE, 'alice');
    const out = h.join(BOB, 'alice');
    assert.deepEqual(lines(out), ['40002 <- *** nickname alice is already in use ***\\n']);
    assert.equal(h.relay.sessions.size, 1);
    assert.deepEqual(to(h.send(BOB, 'hi\n'), ALICE), []);
  });

  for (const variant of ['Alice', 'ALICE', 'ａｌｉｃｅ', 'аlice', 'al1ce', 'aIice', '𝐚𝐥𝐢𝐜𝐞']) {
    it(`"${variant}" counts as the taken nick "alice"`, () => {
      const h = new Harness();
      h.join(ALICE, 'alice');
      const out = h.join(BOB, variant);
      assert.equal(out.events[0]?.type, 'refused');
      assert.equal(h.relay.sessions.size, 1);
    });
  }

  it('a nick with a zero-width character or a control character is refused', () => {
    const h = new Harness();
    for (const bad of ['al\u200bice', 'al\x07ice', 'a\u202eb', 'x'.repeat(33)]) {
      const out = h.join(CAROL, bad);
      assert.equal(out.events[0]?.type, 'refused', JSON.stringify(bad));
      assert.match(to(out, CAROL)[0] ?? '', /^\*\*\* invalid nickname: [^\x00-\x1f]+ \*\*\*\n$/);
      h.now += 5_000; // past the unjoined reply limit
    }
    assert.equal(h.relay.sessions.size, 0);
  });

  it('a repeated /join with the same nick re-welcomes without announcing again', () => {
    const h = joinedPair();
    assert.deepEqual(lines(h.join(ALICE, 'alice')), ['40001 <- *** welcome, alice ***\\n']);
  });

  it('a repeated /join with another nick is refused and the nick stays', () => {
    const h = joinedPair();
    assert.deepEqual(lines(h.join(ALICE, 'alicia')), ['40001 <- *** you are already joined as alice ***\\n']);
    assert.deepEqual(to(h.send(ALICE, 'x\n'), BOB), ['<alice> x\n']);
  });
});

describe('sizes: nothing over 1,200 bytes leaves, nothing is silently truncated', () => {
  it('a line of 1,024 characters is relayed whole', () => {
    const h = joinedPair();
    const text = 'x'.repeat(1024);
    assert.deepEqual(to(h.send(ALICE, `${text}\n`), BOB), [`<alice> ${text}\n`]);
  });

  it('a line of 1,025 characters is refused with an error to its sender and relayed to nobody', () => {
    const h = joinedPair();
    const out = h.send(ALICE, `${'x'.repeat(1025)}\n`);
    assert.deepEqual(lines(out), ['40001 <- *** line refused: 1025 characters (max 1024) ***\\n']);
  });

  it('a line within 1,024 characters but over 1,154 bytes once relayed is refused', () => {
    const h = joinedPair();
    const out = h.send(ALICE, `${'é'.repeat(600)}\n`);
    assert.deepEqual(to(out, BOB), []);
    assert.deepEqual(to(out, ALICE), [
      '*** line refused: too long to relay in one datagram (max 1154 bytes) ***\n',
    ]);
  });

  it('the bound is the relayed form without its newline: 1,154 bytes go, 1,155 do not (what a v2 LINE holds)', () => {
    const h = joinedPair();
    // `<alice> ` is 8 bytes and `é` two: 573 of them make 1,154 bytes relayed, one `x` more makes 1,155.
    const longest = 'é'.repeat(573);
    assert.deepEqual(to(h.send(ALICE, `${longest}\n`), BOB), [`<alice> ${longest}\n`]);
    const out = h.send(ALICE, `${longest}x\n`);
    assert.deepEqual(to(out, BOB), []);
    assert.deepEqual(to(out, ALICE), [
      '*** line refused: too long to relay in one datagram (max 1154 bytes) ***\n',
    ]);
  });

  it('a datagram over 4,100 bytes is refused before decoding', () => {
    const h = joinedPair();
    const out = h.send(ALICE, new Uint8Array(5000).fill(0x61));
    assert.deepEqual(to(out, ALICE), ['*** datagram refused: 5000 bytes (max 4100) ***\n']);
    assert.deepEqual(to(out, BOB), []);
  });
});

describe('text is made safe before it is relayed', () => {
  it('invalid UTF-8 is refused, not repaired', () => {
    const h = joinedPair();
    const out = h.send(ALICE, new Uint8Array([0x68, 0x69, 0xc3, 0x28, 0x0a]));
    assert.deepEqual(lines(out), ['40001 <- *** datagram refused: not valid UTF-8 ***\\n']);
  });

  it('terminal escape sequences and control characters never reach another client', () => {
    const h = joinedPair();
    const out = h.send(ALICE, 'hi\x1b[2J\x1b]0;pwned\x07 there\x7f\x9b31m\u202e!\n');
    assert.deepEqual(to(out, BOB), ['<alice> hi there!\n']);
  });

  it('a line that is nothing but control sequences is refused with an error', () => {
    const h = joinedPair();
    const out = h.send(ALICE, '\x1b[31m\x07\n');
    assert.deepEqual(lines(out), ['40001 <- *** line refused: nothing printable in it ***\\n']);
  });

  it('TAB is kept', () => {
    const h = joinedPair();
    assert.deepEqual(to(h.send(ALICE, 'a\tb\n'), BOB), ['<alice> a\tb\n']);
  });

  it('a datagram holding several lines is handled as separate lines', () => {
    const h = joinedPair();
    const out = h.send(ALICE, 'one\ntwo\r\n/ping\nthree');
    assert.deepEqual(lines(out), [
      '40002 <- <alice> one\\n',
      '40002 <- <alice> two\\n',
      '40001 <- /pong\\n',
      '40002 <- <alice> three\\n',
    ]);
  });

  it('a lone carriage return inside a line never reaches another client', () => {
    const h = joinedPair();
    assert.deepEqual(to(h.send(ALICE, 'fake\r<bob> x\n'), BOB), ['<alice> fake<bob> x\n']);
  });

  it('a datagram with more than 8 lines is refused whole', () => {
    const h = joinedPair();
    const out = h.send(ALICE, 'x\n'.repeat(9));
    assert.deepEqual(lines(out), ['40001 <- *** datagram refused: more than 8 lines in one datagram ***\\n']);
  });

  it('a /join and a line in one datagram are taken in order', () => {
    const h = new Harness();
    h.join(BOB, 'bob');
    const out = h.send(ALICE, '/join alice\nhello\n');
    assert.deepEqual(to(out, BOB), ['*** alice joined ***\n', '<alice> hello\n']);
  });
});

describe('the relay cannot be turned against anyone', () => {
  it('a datagram forged from the relay’s own address is dropped without an answer', () => {
    const self: Address = { host: '127.0.0.1', port: 9999 };
    const relay = new Relay({ isOwnAddress: (a) => a.host === self.host && a.port === self.port });
    const out = relay.handle(0, self, new TextEncoder().encode('hello\n'));
    assert.deepEqual(out.transmits, []);
    assert.deepEqual(out.events, [{ type: 'ignored', address: self, reason: 'own-address' }]);
  });

  it('a source port 0 is never answered', () => {
    const h = new Harness();
    const out = h.send({ host: '127.0.0.1', port: 0 }, '/join zero\n');
    assert.deepEqual(out.transmits, []);
    assert.equal(h.relay.sessions.size, 0);
  });

  it('replies to an address that has not joined are limited to a burst of 3 then 1 per second', () => {
    const h = new Harness();
    let answered = 0;
    for (let i = 0; i < 100; i++) answered += h.send(STRANGER, 'x\n').transmits.length;
    assert.equal(answered, 3);
    h.now += 1_000;
    assert.equal(h.send(STRANGER, 'x\n').transmits.length, 1);
    assert.equal(h.send(STRANGER, 'x\n').transmits.length, 0);
  });

  it('a forged datagram between two relays dies out instead of looping', () => {
    const a: Address = { host: '127.0.0.1', port: 7001 };
    const b: Address = { host: '127.0.0.1', port: 7002 };
    const relays = new Map([
      [7001, new Relay()],
      [7002, new Relay()],
    ]);
    let queue: { from: Address; to: Address; payload: Uint8Array }[] = [
      { from: b, to: a, payload: new TextEncoder().encode('hello\n') },
    ];
    let delivered = 0;
    for (let step = 0; step < 100 && queue.length > 0; step++) {
      const next: typeof queue = [];
      for (const d of queue) {
        delivered++;
        const out = relays.get(d.to.port)?.handle(step, d.from, d.payload);
        for (const t of out?.transmits ?? []) next.push({ from: d.to, to: t.to, payload: t.payload });
      }
      queue = next;
    }
    assert.equal(queue.length, 0);
    assert.ok(delivered <= 2, `delivered ${delivered}`);
  });

  it('a relay that answers every line (the seed) cannot loop with ours either', () => {
    const ours = new Relay();
    const seedLike: Address = { host: '127.0.0.1', port: 9999 };
    // The seed answers any unjoined line with the hint; ours must not answer that hint.
    const out = ours.handle(0, seedLike, new TextEncoder().encode('*** please /join <nickname> first ***\n'));
    assert.deepEqual(out.transmits, []);
    assert.deepEqual(ours.handle(0, seedLike, new TextEncoder().encode('/pong\n')).transmits, []);
    assert.deepEqual(ours.handle(0, seedLike, new TextEncoder().encode('<x> hi\n')).transmits, []);
  });
});
