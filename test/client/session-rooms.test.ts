import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SessionOutput } from '../../src/client/events.ts';
import { ClientSession } from '../../src/client/session.ts';
import { encodeLine } from '../../src/protocol/codec.ts';

const decoder = new TextDecoder();

function joined(): ClientSession {
  const client = new ClientSession({ nick: 'alice', random: () => 0.5 });
  client.start(0);
  client.handle(1, encodeLine('*** welcome, alice ***'));
  return client;
}

function relayLine(client: ClientSession, line: string): SessionOutput {
  return client.handle(2, encodeLine(line));
}

describe('client session: rooms, private messages and the relay’s keep-alive', () => {
  test('the relay’s /ping is answered with /pong and never shown', () => {
    const output = relayLine(joined(), '/ping');
    assert.deepEqual(
      output.datagrams.map((d) => decoder.decode(d)),
      ['/pong\n'],
    );
    assert.deepEqual(output.events, []);
  });

  test('a /ping before we are welcomed is not answered (the relay would refuse it anyway)', () => {
    const client = new ClientSession({ nick: 'alice', random: () => 0.5 });
    client.start(0);
    assert.deepEqual(relayLine(client, '/ping').datagrams, []);
  });

  test('room lines carry their room', () => {
    assert.deepEqual(relayLine(joined(), '[#rust] <bob> hi').events, [
      { type: 'chat', room: '#rust', nick: 'bob', text: 'hi', line: '[#rust] <bob> hi' },
    ]);
    assert.deepEqual(relayLine(joined(), '[#rust] * bob waves').events, [
      { type: 'action', room: '#rust', nick: 'bob', text: 'waves', line: '[#rust] * bob waves' },
    ]);
    assert.deepEqual(relayLine(joined(), '[#rust] *** bob joined ***').events, [
      { type: 'notice', room: '#rust', text: 'bob joined', line: '[#rust] *** bob joined ***' },
    ]);
  });

  test('private messages are their own event', () => {
    assert.deepEqual(relayLine(joined(), '[msg] <bob> psst').events, [
      { type: 'private', nick: 'bob', text: 'psst', action: false, line: '[msg] <bob> psst' },
    ]);
  });

  test('after /nick the session re-joins with the new nick if the relay forgets it', () => {
    const client = joined();
    relayLine(client, '*** you are now known as alicia ***');
    assert.equal(client.nick, 'alicia');
    const output = relayLine(client, '*** please /join <nickname> first ***');
    assert.deepEqual(
      output.datagrams.map((d) => decoder.decode(d)),
      ['/join alicia\n'],
    );
  });
});
