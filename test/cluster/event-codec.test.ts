/** Reading events from the shared streams: every field checked, a bad entry dropped, never half-read. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEvent, readMemberValue } from '../../src/cluster/event-codec.ts';
import type { ClusterEvent } from '../../src/relay/cluster-bus.ts';

const LINE = {
  id: 3,
  roomKey: '#r',
  roomName: '#r',
  at: 1_800_000_000_000,
  kind: 'say',
  nick: 'alice',
  text: 'hi',
};

describe('the event codec', () => {
  it('reads every kind of event the scripts write', () => {
    const events: ClusterEvent[] = [
      { type: 'line', node: 'a', line: { ...LINE, kind: 'action' } },
      {
        type: 'direct',
        node: 'a',
        line: { fromKey: 'a', fromNick: 'A', toKey: 'b', toNick: 'B', at: 1, kind: 'say', text: 'psst' },
      },
      {
        type: 'presence',
        node: 'a',
        roomKey: '#r',
        member: { nickKey: 'al', nick: 'Al', node: 'a' },
        joined: true,
        reason: 'join',
      },
      { type: 'room', node: 'a', roomKey: '#r', by: 'al', change: { type: 'topic', topic: 'news' } },
      {
        type: 'room',
        node: 'a',
        roomKey: '#r',
        by: 'al',
        change: { type: 'kick', nickKey: 'b', nick: 'B', reason: 'spam' },
      },
      {
        type: 'room',
        node: 'a',
        roomKey: '#lobby',
        by: 'root',
        change: { type: 'kill', nickKey: 'b', nick: 'B', reason: '' },
      },
      {
        type: 'room',
        node: 'a',
        roomKey: '#lobby',
        by: 'B',
        change: { type: 'rename', nickKey: 'b', nick: 'B', newKey: 'c', newNick: 'C' },
      },
      { type: 'node-up', node: 'a', version: 1 },
      {
        type: 'node-gone',
        node: 'a',
        nicks: ['al'],
        left: [{ roomKey: '#r', member: { nickKey: 'al', nick: 'Al', node: 'a' } }],
      },
    ];
    for (const event of events) assert.deepEqual(readEvent(JSON.stringify(event)), event);
  });

  it('reads the empty lists Lua writes as {} as empty lists', () => {
    assert.deepEqual(readEvent('{"type":"node-gone","node":"a","nicks":{},"left":{}}'), {
      type: 'node-gone',
      node: 'a',
      nicks: [],
      left: [],
    });
  });

  it('drops entries that are not events: bad JSON, unknown types, missing or mistyped fields', () => {
    const bad = [
      'not json',
      'null',
      '[]',
      '{"type":"line","node":"a"}',
      JSON.stringify({ type: 'line', node: 'a', line: { ...LINE, id: '3' } }),
      JSON.stringify({ type: 'line', node: 'a', line: { ...LINE, kind: 'shout' } }),
      JSON.stringify({ type: 'line', node: 'a', line: { ...LINE, at: 1.5 } }),
      JSON.stringify({
        type: 'presence',
        node: 'a',
        roomKey: '#r',
        member: { nickKey: 'x', nick: 'x', node: 'a' },
        joined: 1,
        reason: 'join',
      }),
      JSON.stringify({
        type: 'presence',
        node: 'a',
        roomKey: '#r',
        member: { nickKey: 'x', nick: 'x', node: 'a' },
        joined: true,
        reason: 'vanish',
      }),
      JSON.stringify({ type: 'room', node: 'a', roomKey: '#r', by: 'x', change: { type: 'topic' } }),
      JSON.stringify({ type: 'node-gone', node: 'a', nicks: [1], left: [] }),
      JSON.stringify({ type: 'node-up', version: 1 }),
      JSON.stringify({ type: 'constructor', node: 'a' }),
    ];
    for (const text of bad) assert.equal(readEvent(text), null, text);
  });

  it('splits a member value at its first space, and refuses one without a node', () => {
    assert.deepEqual(readMemberValue('al', 'a Al Jones'), { nickKey: 'al', node: 'a', nick: 'Al Jones' });
    assert.equal(readMemberValue('al', 'nospace'), null);
    assert.equal(readMemberValue('al', ' Al'), null);
  });
});
