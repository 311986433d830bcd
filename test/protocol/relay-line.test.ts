import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRelayLine } from '../../src/protocol/relay-line.ts';

describe('reading relay lines', () => {
  const cases: [string, ReturnType<typeof parseRelayLine>][] = [
    ['<alice> hi', { kind: 'chat', room: '#lobby', nick: 'alice', text: 'hi' }],
    ['[#rust] <alice> hi there', { kind: 'chat', room: '#rust', nick: 'alice', text: 'hi there' }],
    ['* alice waves', { kind: 'action', room: '#lobby', nick: 'alice', text: 'waves' }],
    ['[#rust] * alice compiles it', { kind: 'action', room: '#rust', nick: 'alice', text: 'compiles it' }],
    ['[msg] <bob> psst', { kind: 'private', nick: 'bob', text: 'psst', action: false }],
    ['[msg] * bob waves', { kind: 'private', nick: 'bob', text: 'waves', action: true }],
    ['*** bob joined ***', { kind: 'notice', room: null, text: 'bob joined' }],
    ['[#rust] *** bob joined ***', { kind: 'notice', room: '#rust', text: 'bob joined' }],
    ['/pong', { kind: 'other' }],
    ['[#rust]no space', { kind: 'other' }],
    ['hello', { kind: 'other' }],
  ];
  for (const [line, expected] of cases) {
    it(`reads ${JSON.stringify(line)}`, () => assert.deepEqual(parseRelayLine(line), expected));
  }

  it('a chat text that looks like a prefix stays text', () => {
    assert.deepEqual(parseRelayLine('<eve> [msg] <bob> fake'), {
      kind: 'chat',
      room: '#lobby',
      nick: 'eve',
      text: '[msg] <bob> fake',
    });
  });
});
