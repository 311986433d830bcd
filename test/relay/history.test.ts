import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHistoryLine, parseTaggedLine } from '../../src/protocol/history-messages.ts';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { parseQuery } from '../../src/relay/commands/history.ts';
import { collectingSink, emptyOutput, type RelayOutput } from '../../src/relay/output.ts';
import type { SessionPeer } from '../../src/relay/peer.ts';
import { Relay, type RelayOptions } from '../../src/relay/relay.ts';
import { MAX_HISTORY_PAGE } from '../../src/relay/store.ts';
import { MemoryStore } from '../../src/store/memory/memory-store.ts';
import { ALICE, BOB, CAROL, to } from '../support/relay-harness.ts';

const WALL = Date.UTC(2026, 11, 3, 7, 1, 2, 345);
const encoder = new TextEncoder();

/** A v2 client as the core sees it (relay-session.ts sets the same flag). */
class V2Peer implements SessionPeer {
  readonly linesCarryIds = true;
  constructor(
    readonly sessionKey: string,
    readonly host: string,
    readonly port: number,
  ) {}
}

class HistoryHarness {
  readonly store = new MemoryStore();
  readonly relay: Relay;
  now = 0;

  constructor(options: RelayOptions = {}) {
    this.relay = new Relay({ store: this.store, wallClock: () => WALL, ...options }, 0);
  }

  send(from: SessionPeer | typeof ALICE, text: string): RelayOutput {
    if ('sessionKey' in from) {
      const output = emptyOutput();
      this.relay.handleLinesInto(this.now, from, [text], collectingSink(output));
      return output;
    }
    return this.relay.handle(this.now, from, encoder.encode(`${text}\n`));
  }

  /** Runs the output's history tasks against the store, as the binding does, and returns the answers. */
  async answer(output: RelayOutput): Promise<RelayOutput> {
    const merged = emptyOutput();
    for (const task of output.tasks) {
      if (task.type !== 'history') continue;
      const page = await this.store.roomHistory(task.roomKey, task.query);
      merged.transmits.push(...this.relay.historyAnswered(this.now, task.id, page).transmits);
    }
    return merged;
  }
}

describe('room lines are kept with an id and a server time', () => {
  it('a v1 member gets the seed line; a v2 member the same line with its id and time in front', async () => {
    const h = new HistoryHarness();
    const carol = new V2Peer('v2:c', '127.0.0.1', 41003);
    h.send(ALICE, '/join alice');
    h.send(BOB, '/join bob');
    h.send(carol, '/join carol');
    const out = h.send(ALICE, 'hi there');
    assert.deepEqual(to(out, BOB), ['<alice> hi there\n']);
    const tagged = to(out, carol)[0] ?? '';
    assert.equal(tagged, '@msgid=1;time=2026-12-03T07:01:02.345Z <alice> hi there\n');
    assert.deepEqual(parseTaggedLine(tagged.trimEnd()), { id: 1, at: WALL, line: '<alice> hi there' });
    const page = await h.store.roomHistory(lookalikeKey('#lobby'), { type: 'last', limit: 5 });
    assert.deepEqual(
      page.lines.map((line) => [line.id, line.at, line.kind, line.nick, line.text]),
      [[1, WALL, 'say', 'alice', 'hi there']],
    );
  });

  it('/me is kept as an action and each room counts its own ids', async () => {
    const h = new HistoryHarness();
    h.send(ALICE, '/join alice');
    h.send(BOB, '/join bob');
    h.send(ALICE, 'one');
    h.send(ALICE, '/join #side');
    h.send(BOB, '/join #side');
    h.send(ALICE, '/me waves');
    const side = await h.store.roomHistory(lookalikeKey('#side'), { type: 'last', limit: 5 });
    assert.deepEqual(
      side.lines.map((line) => [line.id, line.kind, line.text]),
      [[1, 'action', 'waves']],
    );
    assert.equal(h.store.lastLineId(lookalikeKey('#lobby')), 1);
  });

  it('private lines are kept only with keepPrivate', async () => {
    for (const keepPrivate of [false, true]) {
      const h = new HistoryHarness({ keepPrivate });
      h.send(ALICE, '/join alice');
      h.send(BOB, '/join bob');
      h.send(ALICE, '/msg bob psst');
      const page = await h.store.privateHistory(lookalikeKey('alice'), lookalikeKey('bob'), {
        type: 'last',
        limit: 5,
      });
      assert.equal(page.lines.length, keepPrivate ? 1 : 0);
    }
  });
});

describe('/history', () => {
  it('answers with lines marked as history, oldest first, then an end marker', async () => {
    const h = new HistoryHarness();
    h.send(ALICE, '/join alice');
    h.send(BOB, '/join bob');
    for (const text of ['one', 'two', 'three']) h.send(ALICE, text);
    const asked = h.send(BOB, '/history 2');
    assert.deepEqual(to(asked, BOB), [], 'the answer comes once the store has answered');
    const out = await h.answer(asked);
    assert.deepEqual(to(out, BOB), [
      '[history #lobby 2026-12-03T07:01:02Z #2] <alice> two\n',
      '[history #lobby 2026-12-03T07:01:02Z #3] <alice> three\n',
      '[history #lobby end] 2 lines; older: /history #lobby before 2\n',
    ]);
    const parsed = parseHistoryLine('[history #lobby 2026-12-03T07:01:02Z #2] <alice> two');
    assert.deepEqual(parsed, { room: '#lobby', id: 2, at: WALL - 345, spoken: '<alice> two' });
  });

  it('pages back with before and fills a gap with after', async () => {
    const h = new HistoryHarness();
    h.send(ALICE, '/join alice');
    h.send(BOB, '/join bob');
    for (let i = 1; i <= 5; i++) h.send(ALICE, `line ${i}`);
    const before = to(await h.answer(h.send(BOB, '/history #lobby before 3')), BOB);
    assert.deepEqual(before.slice(0, 2), [
      '[history #lobby 2026-12-03T07:01:02Z #1] <alice> line 1\n',
      '[history #lobby 2026-12-03T07:01:02Z #2] <alice> line 2\n',
    ]);
    assert.equal(before[2], '[history #lobby end] 2 lines\n');
    const after = to(await h.answer(h.send(BOB, '/history #lobby after 3 1')), BOB);
    assert.deepEqual(after, [
      '[history #lobby 2026-12-03T07:01:02Z #4] <alice> line 4\n',
      '[history #lobby end] 1 line after #3; newer: /history #lobby after 4\n',
    ]);
  });

  it('is refused for a room the sender is not in, and for a malformed count', () => {
    const h = new HistoryHarness();
    h.send(ALICE, '/join alice');
    h.send(BOB, '/join bob');
    h.send(ALICE, '/join #private');
    const out = h.send(BOB, '/history #private');
    assert.deepEqual(out.tasks, []);
    assert.match(to(out, BOB)[0] ?? '', /not in #private/);
    const bad = h.send(BOB, '/history lots');
    assert.deepEqual(bad.tasks, []);
    assert.match(to(bad, BOB)[0] ?? '', /usage: \/history/);
  });

  it('an answer for a client that left the room meanwhile is dropped', async () => {
    const h = new HistoryHarness();
    h.send(ALICE, '/join alice');
    h.send(BOB, '/join bob');
    h.send(ALICE, '/join #r');
    h.send(BOB, '/join #r');
    h.send(ALICE, 'secret plans');
    const asked = h.send(BOB, '/history #r');
    h.send(BOB, '/part #r');
    assert.deepEqual(to(await h.answer(asked), BOB), []);
  });

  it('without a store, says that the relay keeps no history', () => {
    const relay = new Relay({}, 0);
    relay.handle(0, ALICE, encoder.encode('/join alice\n'));
    const out = relay.handle(0, ALICE, encoder.encode('/history\n'));
    assert.deepEqual(to(out, ALICE), ['*** this relay keeps no history ***\n']);
  });

  it('parses its arguments, cutting counts at the page cap', () => {
    assert.deepEqual(parseQuery(''), { type: 'last', limit: 20 });
    assert.deepEqual(parseQuery('5'), { type: 'last', limit: 5 });
    assert.deepEqual(parseQuery('100000'), { type: 'last', limit: MAX_HISTORY_PAGE });
    assert.deepEqual(parseQuery('before 42'), { type: 'before', id: 42, limit: 20 });
    assert.deepEqual(parseQuery('after 7 3'), { type: 'after', id: 7, limit: 3 });
    for (const bad of ['0', '-1', '2x', 'before', 'before x', 'after 1 2 3', '5 6'])
      assert.equal(parseQuery(bad), null, bad);
  });
});

describe('history on join', () => {
  it('a v1 client gets none unless the relay is told to; a v2 client gets the last 20 by default', async () => {
    const h = new HistoryHarness();
    h.send(ALICE, '/join alice');
    h.send(ALICE, 'before anyone came');
    const bob = h.send(BOB, '/join bob');
    assert.deepEqual(bob.tasks, [], "the seed's client sees exactly the seed's lines");
    const carol = new V2Peer('v2:c', '127.0.0.1', 41003);
    const joined = h.send(carol, '/join carol');
    assert.deepEqual(
      joined.tasks.map((task) => (task.type === 'history' ? task.query : null)),
      [{ type: 'last', limit: 20 }],
    );
    assert.deepEqual(to(await h.answer(joined), carol), [
      '[history #lobby 2026-12-03T07:01:02Z #1] <alice> before anyone came\n',
      '[history #lobby end] 1 line\n',
    ]);
  });

  it('--history-on-join N gives v1 clients N lines of each room they enter', async () => {
    const h = new HistoryHarness({ historyOnJoinV1: 1 });
    h.send(ALICE, '/join alice');
    h.send(ALICE, '/join #r');
    h.send(ALICE, 'first');
    h.send(ALICE, 'second');
    h.send(BOB, '/join bob');
    const out = await h.answer(h.send(BOB, '/join #r'));
    assert.deepEqual(to(out, BOB), [
      '[history #r 2026-12-03T07:01:02Z #2] <alice> second\n',
      '[history #r end] 1 line; older: /history #r before 2\n',
    ]);
    const lobby = await h.answer(h.send(CAROL, '/join carol'));
    assert.deepEqual(to(lobby, CAROL), [], 'the lobby has no lines yet: not even an end marker');
  });
});
