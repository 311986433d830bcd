/** Reading relay notices, from the relay's own templates, and following our rooms from them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lineMatcher } from '../../src/client/line-template.ts';
import { readNotice } from '../../src/client/notice-meaning.ts';
import { RoomTracker } from '../../src/client/room-tracker.ts';
import * as wire from '../../src/protocol/messages.ts';
import * as moderation from '../../src/protocol/moderation-messages.ts';

/** The text between `*** ` and ` ***`, as a NoticeEvent carries it. */
function textOf(line: string): string {
  return line.slice(4, -4);
}

describe('readNotice', () => {
  const cases: [string, ReturnType<typeof readNotice>][] = [
    [wire.joined('bob'), { kind: 'joined', nick: 'bob' }],
    [wire.left('bob'), { kind: 'left', nick: 'bob', reason: '' }],
    [wire.roomParted('bob', 'see you (later)'), { kind: 'left', nick: 'bob', reason: 'see you (later)' }],
    [wire.timedOut('bob'), { kind: 'timed-out', nick: 'bob' }],
    [wire.renamed('bob', 'bobby'), { kind: 'renamed', from: 'bob', to: 'bobby' }],
    [wire.youAreNow('alicia'), { kind: 'you-renamed', nick: 'alicia' }],
    [wire.members('@alice, bob, 王'), { kind: 'members', nicks: ['alice', 'bob', '王'] }],
    [wire.youJoinedRoom('#rust'), { kind: 'you-joined', room: '#rust' }],
    [wire.youPartedRoom('#rust', '#lobby'), { kind: 'you-left', room: '#rust', current: '#lobby' }],
    [wire.nowTalkingIn('#go'), { kind: 'now-talking', room: '#go' }],
    [wire.topicIs('2024 edition'), { kind: 'topic', topic: '2024 edition', by: null }],
    [wire.topicSetBy('alice', 'new'), { kind: 'topic', topic: 'new', by: 'alice' }],
    [wire.topicSetBy('alice', ''), { kind: 'topic', topic: '', by: 'alice' }],
    [moderation.kicked('pest', 'op', 'spam'), { kind: 'kicked', nick: 'pest', by: 'op', reason: 'spam' }],
    [moderation.kicked('pest', 'op', ''), { kind: 'kicked', nick: 'pest', by: 'op', reason: '' }],
    [moderation.wasKilled('pest', 'by root: x'), { kind: 'killed', nick: 'pest', detail: 'by root: x' }],
    [moderation.youWereKilled('root', 'flood'), { kind: 'you-were-killed', by: 'root' }],
    [moderation.youAreBanned('#club'), { kind: 'refused-room', room: '#club' }],
    [moderation.isInviteOnly('#club'), { kind: 'refused-room', room: '#club' }],
    [wire.SERVER_GOING_DOWN, { kind: 'server-going-down' }],
    [wire.welcome('alice'), { kind: 'welcome', nick: 'alice' }],
    [wire.isAway('bob', 'lunch'), { kind: 'other' }],
    [wire.alreadyJoined('alice'), { kind: 'other' }],
  ];
  for (const [line, meaning] of cases) {
    test(`${line} -> ${meaning.kind}`, () => assert.deepEqual(readNotice(textOf(line)), meaning));
  }

  test('a template that repeats its value only matches a line that repeats it too', () => {
    const matches = lineMatcher(wire.youJoinedRoom, ['word']);
    assert.deepEqual(matches(wire.youJoinedRoom('#a')), ['#a']);
    assert.equal(matches('*** you joined #a; now talking in #b ***'), null);
  });
});

describe('RoomTracker', () => {
  function observe(tracker: RoomTracker, line: string, room: string | null = null): boolean {
    return tracker.observe(readNotice(textOf(line)), room, 'alice');
  }

  test('joins, switches and parts follow the relay’s confirmations', () => {
    const tracker = new RoomTracker();
    tracker.registered();
    assert.equal(observe(tracker, wire.youJoinedRoom('#rust'), '#rust'), true);
    assert.deepEqual(tracker.snapshot, { rooms: ['#lobby', '#rust'], current: '#rust' });
    assert.equal(observe(tracker, wire.nowTalkingIn('#lobby')), true);
    assert.equal(observe(tracker, wire.nowTalkingIn('#lobby')), false, 'no change, no news');
    observe(tracker, wire.youPartedRoom('#rust', '#lobby'));
    assert.deepEqual(tracker.snapshot, { rooms: ['#lobby'], current: '#lobby' });
  });

  test('our own kick takes us out of the room; someone else’s does not', () => {
    const tracker = new RoomTracker();
    tracker.registered();
    observe(tracker, wire.youJoinedRoom('#club'), '#club');
    assert.equal(observe(tracker, moderation.kicked('bob', 'op', ''), '#club'), false);
    assert.equal(observe(tracker, moderation.kicked('alice', 'op', 'bye'), '#club'), true);
    assert.deepEqual(tracker.snapshot, { rooms: ['#lobby'], current: null });
  });

  test('a refused rejoin and a kill forget rooms', () => {
    const tracker = new RoomTracker();
    tracker.registered();
    observe(tracker, wire.youJoinedRoom('#club'), '#club');
    observe(tracker, moderation.isInviteOnly('#club'));
    assert.deepEqual(tracker.snapshot.rooms, ['#lobby']);
    observe(tracker, moderation.youWereKilled('root', ''));
    assert.deepEqual(tracker.snapshot, { rooms: [], current: null });
  });
});
