/** NickResolver: every receiver resolves nick collisions the same way, whatever it heard first. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type NickClaim, NickResolver } from '../../src/lan/nick-resolver.ts';
import { checkLanNick } from '../../src/protocol/lan/lan-nick.ts';

function claim(nick: string, claimedAt: number): NickClaim {
  const check = checkLanNick(nick);
  if (!check.ok) throw new Error(`bad test nick ${nick}`);
  return { nick, key: check.key, claimedAt };
}

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccc';

describe('NickResolver', () => {
  it('shows a nick nobody else holds as it is', () => {
    const resolver = new NickResolver();
    assert.deepEqual(resolver.claim(A, claim('alice', 10)), [
      { senderId: A, nick: 'alice', from: null, to: 'alice', keptBy: null },
    ]);
    assert.equal(resolver.shownAs(A), 'alice');
  });

  it('lets the earlier claim keep the nick; the later one is shown with its id suffix', () => {
    const resolver = new NickResolver();
    resolver.claim(B, claim('bob', 20));
    const changes = resolver.claim(A, claim('bob', 10));
    assert.equal(resolver.shownAs(A), 'bob');
    assert.equal(resolver.shownAs(B), 'bob#bbbb');
    assert.deepEqual(
      changes.map((change) => [change.senderId, change.from, change.to, change.keptBy]),
      [
        [B, 'bob', 'bob#bbbb', A],
        [A, null, 'bob', null],
      ],
    );
  });

  it('breaks a tie in claim time by the lower sender id', () => {
    const resolver = new NickResolver();
    resolver.claim(B, claim('bob', 10));
    resolver.claim(A, claim('bob', 10));
    assert.equal(resolver.shownAs(A), 'bob');
    assert.equal(resolver.shownAs(B), 'bob#bbbb');
  });

  it('counts look-alikes as the same nick ("bob", "BOB", full-width "ｂｏｂ")', () => {
    const resolver = new NickResolver();
    resolver.claim(A, claim('bob', 10));
    resolver.claim(B, claim('BOB', 20));
    resolver.claim(C, claim('ｂｏｂ', 30));
    assert.deepEqual(
      [A, B, C].map((id) => resolver.shownAs(id)),
      ['bob', 'BOB#bbbb', 'ｂｏｂ#cccc'],
    );
  });

  it('gives the nick back when its holder is released, to the next earliest claim', () => {
    const resolver = new NickResolver();
    resolver.claim(A, claim('bob', 10));
    resolver.claim(C, claim('bob', 30));
    resolver.claim(B, claim('bob', 20));
    const changes = resolver.release(A);
    assert.equal(resolver.shownAs(B), 'bob');
    assert.equal(resolver.shownAs(C), 'bob#cccc');
    assert.equal(resolver.shownAs(A), undefined);
    assert.deepEqual(
      changes.map((change) => [change.senderId, change.from, change.to]),
      [
        [A, 'bob', null],
        [B, 'bob#bbbb', 'bob'],
      ],
    );
  });

  it('moves a sender that changes nick out of one group and into another', () => {
    const resolver = new NickResolver();
    resolver.claim(A, claim('bob', 10));
    resolver.claim(B, claim('bob', 20));
    resolver.claim(A, claim('alice', 10));
    assert.equal(resolver.shownAs(A), 'alice');
    assert.equal(resolver.shownAs(B), 'bob');
    assert.deepEqual(resolver.claim(A, claim('alice', 10)), []);
  });

  it('reaches the same names whatever order the claims arrive in (any peers, any nicks)', () => {
    const nicks = fc.constantFrom('bob', 'Bob', 'b0b', 'ｂｏｂ', 'alice', 'aIice', 'carol');
    const senders = fc.uniqueArray(
      fc.record({ id: fc.stringMatching(/^[0-9a-f]{16}$/), nick: nicks, claimedAt: fc.nat({ max: 5 }) }),
      { minLength: 1, maxLength: 8, selector: (sender) => sender.id },
    );
    const orders = senders.chain((list) =>
      fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
    );
    fc.assert(
      fc.property(orders, ([inOrder, shuffled]) => {
        const first = new NickResolver();
        const second = new NickResolver();
        for (const sender of inOrder) first.claim(sender.id, claim(sender.nick, sender.claimedAt));
        for (const sender of shuffled) second.claim(sender.id, claim(sender.nick, sender.claimedAt));
        for (const sender of inOrder) assert.equal(first.shownAs(sender.id), second.shownAs(sender.id));
        // Exactly one holder per look-alike key keeps its nick unsuffixed.
        const holders = new Map<string, number>();
        for (const sender of inOrder) {
          if (first.shownAs(sender.id) !== sender.nick) continue;
          const key = claim(sender.nick, 0).key;
          holders.set(key, (holders.get(key) ?? 0) + 1);
        }
        for (const count of holders.values()) assert.equal(count, 1);
      }),
      { numRuns: 500 },
    );
  });
});
