import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopTalkers } from '../../src/observability/metrics-top-talkers.ts';

function talk(talkers: TopTalkers, nick: string, lines: number): void {
  for (let i = 0; i < lines; i++) talkers.add(nick);
}

describe('TopTalkers: lines per nick, bounded', () => {
  it('ranks the busiest first, ties by nick, and keeps only k', () => {
    const talkers = new TopTalkers(0, 5_000, 100);
    talk(talkers, 'carol', 3);
    talk(talkers, 'alice', 7);
    talk(talkers, 'bob', 3);
    talk(talkers, 'dave', 1);
    const { talkers: top, spanMs } = talkers.top(3, 1_000);
    assert.deepEqual(top, [
      { nick: 'alice', lines: 7 },
      { nick: 'bob', lines: 3 },
      { nick: 'carol', lines: 3 },
    ]);
    assert.equal(spanMs, 1_000);
  });

  it('tracks at most `capacity` nicks per window; a later nick waits for the next window', () => {
    const talkers = new TopTalkers(0, 5_000, 2);
    talk(talkers, 'alice', 1);
    talk(talkers, 'bob', 1);
    talk(talkers, 'mallory', 50);
    assert.deepEqual(
      talkers.top(10, 1_000).talkers.map((t) => t.nick),
      ['alice', 'bob'],
    );
    talkers.top(10, 5_000); // turns the window over
    talk(talkers, 'mallory', 50);
    assert.equal(talkers.top(1, 6_000).talkers[0]?.nick, 'mallory');
  });

  it('counts cover the previous window and the current one, so a turn-over never reads as silence', () => {
    const talkers = new TopTalkers(0, 5_000, 100);
    talk(talkers, 'alice', 10);
    assert.deepEqual(talkers.top(1, 5_000), { talkers: [{ nick: 'alice', lines: 10 }], spanMs: 5_000 });
    talk(talkers, 'alice', 4);
    assert.deepEqual(talkers.top(1, 7_000), { talkers: [{ nick: 'alice', lines: 14 }], spanMs: 7_000 });
    // Two windows later alice's first 10 lines have aged out.
    assert.deepEqual(talkers.top(1, 10_000), { talkers: [{ nick: 'alice', lines: 4 }], spanMs: 5_000 });
    assert.deepEqual(talkers.top(1, 15_000).talkers, []);
  });
});
