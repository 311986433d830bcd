import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Session } from '../../src/relay/session.ts';
import { SessionTable } from '../../src/relay/session-table.ts';

function table(count: number): { sessions: SessionTable; list: Session[] } {
  const sessions = new SessionTable();
  const list: Session[] = [];
  for (let i = 0; i < count; i++) {
    list.push(
      sessions.add(
        {
          address: { host: '127.0.0.1', port: 10_000 + i },
          nick: `n${i}`,
          nickKey: `n${i}`,
          account: null,
          serverOperator: false,
        },
        0,
      ),
    );
  }
  return { sessions, list };
}

describe('the activity order behind the idle reaper', () => {
  it('finds exactly the sessions a full scan would, whatever the order they were heard in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ who: fc.nat(49), dt: fc.nat(3_000) }), { maxLength: 300 }),
        fc.nat(200_000),
        (touches, cutoffOffset) => {
          const { sessions, list } = table(50);
          let now = 0;
          for (const { who, dt } of touches) {
            now += dt;
            const session = list[who];
            if (session !== undefined) sessions.touch(session, now);
          }
          const cutoff = Math.min(now, cutoffOffset);
          const expected = list.filter((s) => s.lastSeen < cutoff).map((s) => s.nick);
          const found = [...sessions.silentSince(cutoff)].map((s) => s.nick);
          assert.deepEqual(found.sort(), expected.sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns the silent sessions longest silent first, to within a second', () => {
    const { sessions, list } = table(3);
    const [a, b, c] = list as [Session, Session, Session];
    sessions.touch(b, 5_000);
    sessions.touch(a, 10_000);
    sessions.touch(c, 20_000);
    assert.deepEqual(
      [...sessions.silentSince(30_000)].map((s) => s.nick),
      ['n1', 'n0', 'n2'],
    );
  });
});
