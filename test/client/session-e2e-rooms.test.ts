/**
 * End-to-end passphrase rooms through the client library (docs/PROTOCOL-v2.md 13): two sessions and a
 * relay played by hand (it stamps `<nick>` and the room prefix, as every relay does), on a fake clock.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClientEvent } from '../../src/client/events.ts';
import { isKeyCommand, KEY_USAGE, parseKeyCommand } from '../../src/client/key-command.ts';
import { RoomKeyring } from '../../src/client/room-keyring.ts';
import { ClientSession } from '../../src/client/session.ts';
import { encodeLine } from '../../src/protocol/codec.ts';
import { historyLine } from '../../src/protocol/history-messages.ts';
import { sealRoomLine } from '../../src/protocol/room-cipher.ts';
import { deriveRoomKey, RoomKey } from '../../src/protocol/room-key.ts';

const decoder = new TextDecoder();
const KEY = RoomKey.fromSecret(new Uint8Array(32).fill(7));
const OTHER = RoomKey.fromSecret(new Uint8Array(32).fill(8));
let clock = 0;

/** A nonce source that counts, so every test replays; the binding's is the system CSPRNG. */
function countingNonces(): (bytes: number) => Uint8Array {
  let next = 0;
  return (bytes) => {
    next += 1;
    return new Uint8Array(bytes).fill(next % 256);
  };
}

const keyrings = new WeakMap<ClientSession, RoomKeyring>();

function keysOf(session: ClientSession): RoomKeyring {
  const keys = keyrings.get(session);
  assert.ok(keys !== undefined);
  return keys;
}

function hold(session: ClientSession, room: string, key: RoomKey): void {
  keysOf(session).hold(room, key);
}

function withKeys(options: ConstructorParameters<typeof ClientSession>[0]): ClientSession {
  const roomKeys = new RoomKeyring();
  const session = new ClientSession({ ...options, roomKeys });
  keyrings.set(session, roomKeys);
  return session;
}

function member(nick: string, room = '#rust'): ClientSession {
  const session = withKeys({ nick, random: () => 0.5, randomBytes: countingNonces() });
  session.start(clock++);
  session.handle(clock++, encodeLine(`*** welcome, ${nick} ***`));
  session.handle(clock++, encodeLine(`*** you joined ${room}; now talking in ${room} ***`));
  return session;
}

/** What the session sent for one typed line (one datagram), without its newline. */
function said(session: ClientSession, text: string): string {
  const result = session.say(text);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.equal(result.output.datagrams.length, 1);
  return decoder.decode(result.output.datagrams[0]).replace(/\n$/, '');
}

/** The relay hands `body` from `nick` to the other members of `room`. */
function relayed(session: ClientSession, room: string, nick: string, body: string): ClientEvent[] {
  const line = room === '#lobby' ? `<${nick}> ${body}` : `[${room}] <${nick}> ${body}`;
  return session.handle(clock++, encodeLine(line)).events;
}

describe('end-to-end rooms in the client session', () => {
  test('a member with the key reads a sealed line; the line on the wire is a plain [e2e] line', () => {
    const alice = member('alice');
    const bob = member('bob');
    hold(alice, '#rust', KEY);
    hold(bob, '#RUST', KEY);
    const wire = said(alice, 'the borrow checker is my friend');
    assert.match(wire, /^\[e2e\] [A-Za-z0-9_-]+$/);
    assert.equal(wire.includes('borrow'), false);
    assert.deepEqual(relayed(bob, '#rust', 'alice', wire), [
      {
        type: 'chat',
        room: '#rust',
        nick: 'alice',
        text: 'the borrow checker is my friend',
        line: '[#rust] [e2e] <alice> the borrow checker is my friend',
        e2e: 'opened',
      },
    ]);
  });

  test('/me is sealed too, as a plain line, and opens as an action', () => {
    const alice = member('alice');
    const bob = member('bob');
    hold(alice, '#rust', KEY);
    hold(bob, '#rust', KEY);
    const wire = said(alice, '/me waves');
    assert.match(wire, /^\[e2e\] /);
    const [event] = relayed(bob, '#rust', 'alice', wire);
    assert.equal(event?.type, 'action');
    assert.equal(event?.type === 'action' ? event.line : '', '[#rust] [e2e] * alice waves');
  });

  test('the test vector of PROTOCOL-v2.md 18.4 is what the session sends', async () => {
    const alice = withKeys({
      nick: 'alice',
      random: () => 0.5,
      randomBytes: (bytes) => Uint8Array.from({ length: bytes }, (_, i) => i),
    });
    alice.start(0);
    alice.handle(1, encodeLine('*** welcome, alice ***'));
    alice.handle(2, encodeLine('*** you joined #Rust; now talking in #Rust ***'));
    hold(alice, '#Rust', await deriveRoomKey('correct horse battery staple', '#Rust'));
    assert.equal(
      said(alice, 'the borrow checker is my friend'),
      '[e2e] AUoNh5oAAAAAAAECAwQFBgcICQoL2pmNxqAHKsXnApItL32MkowX4I9jds-NR4XKf5sPpxNFinM-gw7vQzlRV1FV7joD',
    );
  });

  test('a member without the key is told so, never shown base64; another passphrase is named as such', () => {
    const alice = member('alice');
    hold(alice, '#rust', KEY);
    const wire = said(alice, 'secret plans');
    const carol = member('carol');
    const [none] = relayed(carol, '#rust', 'alice', wire);
    assert.equal(none?.type === 'chat' ? none.text : '', '(encrypted line: you have no key for #rust)');
    assert.equal(none?.type === 'chat' ? none.e2e : '', 'no-key');
    assert.equal(
      none?.type === 'chat' ? none.line : '',
      '[#rust] <alice> (encrypted line: you have no key for #rust)',
    );
    hold(carol, '#rust', OTHER);
    const [wrong] = relayed(carol, '#rust', 'alice', wire);
    assert.equal(
      wrong?.type === 'chat' ? wrong.text : '',
      '(encrypted with another passphrase than yours for #rust)',
    );
    assert.equal(wrong?.type === 'chat' ? wrong.e2e : '', 'other-passphrase');
  });

  test('a line the relay moves to another nick or room, or alters, fails to verify', () => {
    const alice = member('alice');
    hold(alice, '#rust', KEY);
    const wire = said(alice, 'hi');
    const bob = member('bob', '#go');
    hold(bob, '#rust', KEY);
    hold(bob, '#go', KEY);
    const failed = '(encrypted line that failed to verify: altered or misattributed)';
    for (const event of [
      ...relayed(bob, '#rust', 'mallory', wire),
      ...relayed(bob, '#go', 'alice', wire),
      ...relayed(
        bob,
        '#rust',
        'alice',
        `${wire.slice(0, -3)}${wire.at(-3) === 'A' ? 'B' : 'A'}${wire.slice(-2)}`,
      ),
    ]) {
      assert.equal(event.type === 'chat' ? event.text : '', failed);
      assert.equal(event.type === 'chat' ? event.e2e : '', 'forged');
    }
  });

  test('a payload of a newer version is shown as a newer format', () => {
    const bob = member('bob');
    hold(bob, '#rust', KEY);
    const payload = Buffer.from(
      sealRoomLine(
        KEY,
        { room: '#rust', nick: 'alice' },
        { seq: 0, kind: 'message', text: 'x' },
        new Uint8Array(12),
      ).slice(6),
      'base64url',
    );
    payload[0] = 2;
    const [event] = relayed(bob, '#rust', 'alice', `[e2e] ${payload.toString('base64url')}`);
    assert.equal(event?.type === 'chat' ? event.text : '', '(encrypted line of a newer format)');
  });

  test('a line repeated by the relay is shown as (repeated); a new join of the sender starts its count again', () => {
    const alice = member('alice');
    const bob = member('bob');
    hold(alice, '#rust', KEY);
    hold(bob, '#rust', KEY);
    const first = said(alice, 'one');
    const second = said(alice, 'two');
    const texts = (events: ClientEvent[]): string[] =>
      events.map((e) => (e.type === 'chat' ? e.text : e.type));
    assert.deepEqual(texts(relayed(bob, '#rust', 'alice', first)), ['one']);
    assert.deepEqual(texts(relayed(bob, '#rust', 'alice', second)), ['two']);
    const [again] = relayed(bob, '#rust', 'alice', first);
    assert.equal(again?.type === 'chat' ? again.text : '', 'one (repeated)');
    assert.equal(again?.type === 'chat' ? again.e2e : '', 'repeated');
    // alice leaves and comes back: her count restarts at 0, and so does bob's record of it.
    bob.handle(clock++, encodeLine('[#rust] *** alice joined ***'));
    alice.handle(clock++, encodeLine('*** you joined #rust; now talking in #rust ***'));
    assert.deepEqual(texts(relayed(bob, '#rust', 'alice', said(alice, 'back'))), ['back']);
  });

  test('decrypted text is sanitised: a sealed escape sequence never reaches the terminal', () => {
    const bob = member('bob');
    hold(bob, '#rust', KEY);
    const nasty = sealRoomLine(
      KEY,
      { room: '#rust', nick: 'alice' },
      { seq: 0, kind: 'message', text: 'red\u001b[31m alert\u0007\u009b2J' },
      new Uint8Array(12).fill(3),
    );
    const [event] = relayed(bob, '#rust', 'alice', nasty);
    assert.equal(event?.type === 'chat' ? event.text : '', 'red alert');
  });

  test('a history line opens for a member and is not subject to the repeat rule', () => {
    const alice = member('alice');
    const bob = member('bob');
    hold(alice, '#rust', KEY);
    hold(bob, '#rust', KEY);
    const wire = said(alice, 'kept');
    relayed(bob, '#rust', 'alice', wire);
    const at = Date.UTC(2026, 11, 3, 7, 1, 2);
    const events = bob.handle(clock++, encodeLine(historyLine('#rust', at, 42, `<alice> ${wire}`))).events;
    assert.deepEqual(events, [
      {
        type: 'history',
        room: '#rust',
        id: 42,
        at,
        nick: 'alice',
        text: 'kept',
        action: false,
        line: '[history #rust 2026-12-03T07:01:02Z #42] [e2e] <alice> kept',
        e2e: 'opened',
      },
    ]);
  });

  test('a lobby line is sealed for #lobby and relayed without a prefix', () => {
    const alice = member('alice', '#lobby');
    const bob = member('bob', '#lobby');
    hold(alice, '#lobby', KEY);
    hold(bob, '#lobby', KEY);
    const [event] = relayed(bob, '#lobby', 'alice', said(alice, 'hello lobby'));
    assert.equal(event?.type === 'chat' ? event.line : '', '[e2e] <alice> hello lobby');
  });

  test('only the room with a key is sealed; forgetting the key sends in clear again', () => {
    const alice = member('alice');
    hold(alice, '#go', KEY);
    assert.equal(said(alice, 'plain here'), 'plain here');
    assert.equal(said(alice, '/msg bob psst'), '/msg bob psst');
    hold(alice, '#rust', KEY);
    assert.match(said(alice, 'sealed here'), /^\[e2e\] /);
    assert.equal(keysOf(alice).forget('#rust'), true);
    assert.equal(keysOf(alice).forget('#rust'), false);
    assert.equal(said(alice, 'clear again'), 'clear again');
  });

  test('a /switch before the line seals for the room switched to', () => {
    const alice = member('alice');
    hold(alice, '#go', KEY);
    assert.equal(said(alice, '/switch #go'), '/switch #go');
    assert.match(said(alice, 'to go'), /^\[e2e\] /);
  });

  test('an over-long text is refused before sending, with the limit in bytes, never cut', () => {
    const alice = member('alice');
    hold(alice, '#rust', KEY);
    const result = alice.say('x'.repeat(726));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, 'too-long');
    assert.equal(result.error.max, 725);
    assert.match(result.error.message, /726 bytes of text \(max 725 in #rust\)/);
    assert.match(said(alice, 'x'.repeat(725)), /^\[e2e\] /);
  });

  test('after /nick sealing waits for the relay to confirm the nick, then seals under the new one', () => {
    const alice = member('alice');
    const bob = member('bob');
    hold(alice, '#rust', KEY);
    hold(bob, '#rust', KEY);
    said(alice, '/nick alicia');
    const waiting = alice.say('hi');
    assert.equal(waiting.ok ? '' : waiting.error.code, 'nick-pending');
    alice.handle(clock++, encodeLine('*** you are now known as alicia ***'));
    const [event] = relayed(bob, '#rust', 'alicia', said(alice, 'hi'));
    assert.equal(event?.type === 'chat' ? event.text : '', 'hi');
    // A refused /nick (here: in use) ends the wait as well.
    said(alice, '/nick bob');
    alice.handle(clock++, encodeLine('*** nickname bob is already in use ***'));
    assert.match(said(alice, 'still me'), /^\[e2e\] /);
  });

  test('a session without a keyring (the browser client) sends every line as typed', () => {
    const plain = new ClientSession({ nick: 'alice', random: () => 0.5 });
    plain.start(0);
    plain.handle(1, encodeLine('*** welcome, alice ***'));
    const wire = sealRoomLine(
      KEY,
      { room: '#lobby', nick: 'bob' },
      { seq: 0, kind: 'message', text: 'x' },
      new Uint8Array(12),
    );
    assert.equal(said(plain, 'hello'), 'hello');
    const [event] = relayed(plain, '#lobby', 'bob', wire);
    assert.equal(event?.type === 'chat' ? event.text : '', wire);
  });

  test('a /key line is never sent to the relay, whatever UI handed it over', () => {
    const alice = member('alice');
    for (const line of ['/key #rust hunter2', '/KEY #rust', '/key']) {
      const result = alice.say(line);
      assert.equal(result.ok ? '' : result.error.code, 'bad-argument');
    }
  });

  test('/key lines are read: a passphrase with spaces, forgetting, and the usage', () => {
    assert.equal(isKeyCommand('/key #a b'), true);
    assert.equal(isKeyCommand('/keys'), false);
    assert.deepEqual(parseKeyCommand('/key #rust  correct horse battery staple '), {
      kind: 'set',
      room: '#rust',
      passphrase: 'correct horse battery staple',
    });
    assert.deepEqual(parseKeyCommand('/key #rust'), { kind: 'forget', room: '#rust' });
    assert.deepEqual(parseKeyCommand('/key rust pass'), { kind: 'usage', message: KEY_USAGE });
    assert.deepEqual(parseKeyCommand('/key'), { kind: 'usage', message: KEY_USAGE });
  });

  test('while a key is derived, lines in its room are refused: neither in clear nor under the older key', () => {
    const alice = member('alice');
    const keys = keysOf(alice);
    hold(alice, '#rust', OTHER);
    const ticket = keys.deriving('#RUST');
    for (const line of ['in clear?', '/me under the old key?']) {
      const result = alice.say(line);
      assert.equal(result.ok ? '' : result.error.code, 'key-pending');
    }
    assert.equal(keys.derived('#rust', ticket), true);
    keys.hold('#rust', KEY);
    assert.match(said(alice, 'now sealed'), /^\[e2e\] /);
  });

  test('a key forgotten or set again while derived is not held when its derivation ends', () => {
    const alice = member('alice');
    const keys = keysOf(alice);
    const first = keys.deriving('#rust');
    assert.equal(keys.forget('#rust'), true, 'a derivation under way counts as a key to forget');
    assert.equal(keys.derived('#rust', first), false);
    assert.equal(said(alice, 'in clear, as asked'), 'in clear, as asked');
    const second = keys.deriving('#rust');
    const third = keys.deriving('#rust');
    assert.equal(keys.derived('#rust', second), false, 'superseded');
    assert.equal(alice.say('waits').ok, false, 'the newer derivation still holds lines back');
    assert.equal(keys.derived('#rust', third), true);
  });
});
