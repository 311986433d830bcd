/** Where relay events land, and what typed lines send: the UI state driven without a terminal or a socket. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClientState } from '../../src/client/events.ts';
import type { ChatSayResult } from '../../src/client/relay-commands.ts';
import type { RoomsSnapshot } from '../../src/client/room-tracker.ts';
import { BufferList, ChatBuffer } from '../../src/tui/screen/buffers.ts';
import { type InputClient, InputCommands } from '../../src/tui/screen/input-commands.ts';
import { LineView } from '../../src/tui/screen/line-view.ts';
import type { LineBody } from '../../src/tui/screen/lines.ts';
import { ChatModel } from '../../src/tui/screen/model.ts';
import { presenceText } from '../../src/tui/screen/presence.ts';
import { RoomSync } from '../../src/tui/screen/room-sync.ts';
import { EventRouter, mentions } from '../../src/tui/screen/router.ts';
import { DEFAULT_THEME } from '../../src/tui/screen/theme.ts';

/** Records every line "sent"; the relay's view of our rooms is set by the test. */
class FakeClient implements InputClient {
  readonly sent: string[] = [];
  rooms: RoomsSnapshot = { rooms: ['#lobby'], current: '#lobby' };
  nick = 'alice';
  state: ClientState = 'joined';
  say(text: string): ChatSayResult {
    if (text.length > 20)
      return { ok: false, error: { code: 'too-long', message: 'line not sent: too long' } };
    this.sent.push(text);
    return { ok: true };
  }
  msg(nick: string, text: string): ChatSayResult {
    return this.say(`/msg ${nick} ${text}`);
  }
  me(action: string): ChatSayResult {
    return this.say(`/me ${action}`);
  }
  help(): ChatSayResult {
    return this.say('/help');
  }
  switchRoom(room: string): ChatSayResult {
    return this.say(`/switch ${room}`);
  }
}

function setup() {
  const client = new FakeClient();
  const buffers = new BufferList(new ChatBuffer('room', '#lobby'));
  const model = new ChatModel(
    buffers,
    new LineView({ theme: DEFAULT_THEME, timestampFormat: '' }),
    () => 80,
    () => new Date(2024, 0, 2),
  );
  const rooms = new RoomSync(client, model);
  const router = new EventRouter(model, rooms, () => client.nick);
  const quits: string[] = [];
  const commands = new InputCommands(client, model, rooms, {
    quit: (m) => quits.push(m),
    lag: () => {},
    sent: () => {},
  });
  return { client, buffers, model, rooms, router, commands, quits };
}

function bodies(buffer: ChatBuffer | undefined): LineBody[] {
  return (buffer?.lines ?? []).map((line) => line.body);
}

function notice(room: string | null, text: string) {
  return { type: 'notice' as const, room, text, line: `*** ${text} ***` };
}

describe('routing relay events', () => {
  test('room lines go to their room, private messages to a buffer per partner, marked as mentions', () => {
    const { router, buffers } = setup();
    router.chat({ type: 'chat', room: '#rust', nick: 'bob', text: 'hi alice', line: '' });
    router.private({ type: 'private', nick: 'Carol', text: 'psst', action: false, line: '' });
    assert.deepEqual(bodies(buffers.find('room', '#rust')), [
      { kind: 'chat', nick: 'bob', text: 'hi alice', own: false, mention: true },
    ]);
    const carol = buffers.find('dm', 'carol');
    assert.equal(carol?.unread, 1);
    assert.equal(carol?.mention, true);
  });

  test('joins and parts in a room are collapsed and kept in its member list', () => {
    const { router, buffers } = setup();
    router.notice(notice('#rust', 'members: @alice, bob'));
    router.notice(notice('#rust', 'carol joined'));
    router.notice(notice('#rust', 'dave joined'));
    router.notice(notice('#rust', 'bob left (bye)'));
    const rust = buffers.find('room', '#rust');
    const last = rust?.lines.at(-1)?.body;
    assert.equal(
      last?.kind === 'presence' ? presenceText(last.items) : '',
      'carol, dave joined · bob left (bye)',
    );
    assert.deepEqual(rust?.nicks.ordered(), ['alice', 'carol', 'dave']);
  });

  test('a quit shows in every buffer that knew the nick; a rename renames the private buffer', () => {
    const { router, buffers } = setup();
    router.notice(notice('#rust', 'members: bob'));
    router.notice(notice(null, 'bob joined'));
    router.private({ type: 'private', nick: 'bob', text: 'hey', action: false, line: '' });
    router.notice(notice(null, 'bob is now known as robert'));
    assert.equal(buffers.find('dm', 'robert')?.name, 'robert');
    router.notice(notice(null, 'robert left (gone)'));
    for (const name of ['#rust', '#lobby']) {
      const last = buffers.find('room', name)?.lines.at(-1)?.body;
      assert.match(last?.kind === 'presence' ? presenceText(last.items) : '', /robert quit \(gone\)$/, name);
    }
  });

  test('topics set the title; answers to commands go to the buffer being read', () => {
    const { router, buffers } = setup();
    router.notice(notice('#rust', 'topic: 2024 edition'));
    assert.equal(buffers.find('room', '#rust')?.topic, '2024 edition');
    router.notice(notice(null, 'no such nick: zed'));
    assert.deepEqual(bodies(buffers.focused).at(-1), { kind: 'notice', text: 'no such nick: zed' });
  });

  test('an extra welcome for us (a repeated /join answered) is not shown; room names are remembered', () => {
    const { router, buffers } = setup();
    router.notice(notice(null, 'welcome, alice'));
    assert.equal(buffers.focused.lines.length, 0);
    router.notice(notice(null, '#go (3 members): gophers'));
    assert.deepEqual([...router.seenRooms], ['#go']);
  });

  test('mentions are whole words, any case', () => {
    assert.equal(mentions('hey Alice!', 'alice'), true);
    assert.equal(mentions('@alice: look', 'alice'), true);
    assert.equal(mentions('malice', 'alice'), false);
    assert.equal(mentions('alice_b', 'alice'), false);
  });
});

describe('rooms and focus', () => {
  test('/join focuses the room once the relay confirms; the buffers follow the relay’s rooms', () => {
    const { commands, rooms, buffers, client } = setup();
    assert.equal(commands.run('/join #rust'), true);
    assert.deepEqual(client.sent, ['/join #rust']);
    rooms.roomsChanged({ rooms: ['#lobby', '#rust'], current: '#rust' });
    assert.equal(buffers.focused.name, '#rust');
    rooms.roomsChanged({ rooms: ['#rust'], current: '#rust' });
    assert.equal(buffers.find('room', '#lobby')?.joined, false);
  });

  test('text in a room the relay is not talking in is preceded by /switch, whose answer is not shown', () => {
    const { commands, rooms, buffers, client, router } = setup();
    client.rooms = { rooms: ['#lobby', '#rust'], current: '#rust' };
    rooms.roomsChanged(client.rooms);
    buffers.focusNumber(1);
    commands.run('hello lobby');
    commands.run('again');
    assert.deepEqual(client.sent, ['/switch #lobby', 'hello lobby', 'again']);
    router.notice(notice(null, 'now talking in #lobby'));
    assert.deepEqual(
      bodies(buffers.focused).map((b) => b.kind),
      ['chat', 'chat'],
      'our two lines, echoed; no "now talking in"',
    );
  });
});

describe('typed lines', () => {
  test('in a private buffer text and /me go as /msg, echoed there', () => {
    const { commands, buffers, client } = setup();
    commands.run('/query bob');
    commands.run('hi');
    commands.run('/me waves');
    assert.deepEqual(client.sent, ['/msg bob hi', '/msg bob /me waves']);
    assert.deepEqual(bodies(buffers.find('dm', 'bob')), [
      { kind: 'chat', nick: 'alice', text: 'hi', own: true, mention: false },
      { kind: 'action', nick: 'alice', text: 'waves', own: true, mention: false },
    ]);
  });

  test('a refused line is not taken (it stays in the input) and the reason is shown', () => {
    const { commands, buffers } = setup();
    assert.equal(commands.run('x'.repeat(30)), false);
    assert.deepEqual(bodies(buffers.focused).at(-1), {
      kind: 'local',
      text: 'line not sent: too long',
      tone: 'error',
    });
  });

  test('/quit, /clear, /switch N and unknown commands', () => {
    const { commands, buffers, quits, client } = setup();
    buffers.add(buffers.focused, { kind: 'raw', text: 'x' }, new Date());
    commands.run('/clear');
    assert.equal(buffers.focused.lines.length, 0);
    buffers.ensure('room', '#go');
    assert.equal(commands.run('/switch 2'), true);
    assert.equal(buffers.focused.name, '#go');
    assert.equal(commands.run('/switch nobody'), false);
    commands.run('/whatever x');
    // Commands may act on the current room, so the relay is first switched to the focused one.
    assert.deepEqual(client.sent, ['/switch #go', '/whatever x']);
    commands.run('/quit bye all');
    assert.deepEqual(quits, ['bye all']);
  });

  test('/part in a private buffer closes it; /msg to a room is left to the relay to answer', () => {
    const { commands, buffers, client } = setup();
    commands.run('/query bob');
    commands.run('/part');
    assert.equal(buffers.find('dm', 'bob'), undefined);
    commands.run('/msg #rust hi');
    assert.deepEqual(client.sent, ['/msg #rust hi']);
    assert.equal(buffers.find('dm', '#rust'), undefined);
  });

  test('/part without a room parts the focused one; //text says /text', () => {
    const { commands, client, rooms, buffers } = setup();
    client.rooms = { rooms: ['#lobby', '#go'], current: '#go' };
    rooms.roomsChanged(client.rooms);
    buffers.focusNumber(2);
    commands.run('/part later');
    commands.run('//shrug');
    assert.deepEqual(client.sent, ['/part #go later', '//shrug']);
    assert.deepEqual(bodies(buffers.focused).at(-1), {
      kind: 'chat',
      nick: 'alice',
      text: '/shrug',
      own: true,
      mention: false,
    });
  });

  test('while not connected a line is not sent and stays in the input; /quit still works', () => {
    const { commands, client, quits } = setup();
    client.state = 'reconnecting';
    assert.equal(commands.run('hello?'), false);
    assert.equal(commands.run('/who'), false);
    assert.deepEqual(client.sent, []);
    assert.equal(commands.run('/quit'), true);
    assert.deepEqual(quits, ['']);
  });

  test('text in a room we were kicked from is refused locally', () => {
    const { commands, rooms, buffers, client } = setup();
    rooms.roomsChanged({ rooms: ['#lobby', '#club'], current: '#club' });
    buffers.focusNumber(2);
    rooms.roomsChanged({ rooms: ['#lobby'], current: '#lobby' });
    assert.equal(commands.run('let me back'), false);
    assert.deepEqual(client.sent, []);
  });
});
