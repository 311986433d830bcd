/**
 * End-to-end rooms in the full-screen client (docs/PROTOCOL-v2.md 13), driven without a terminal: what
 * Enter does with a /key line, what the input history keeps, how opened lines and a keyed room are drawn.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClientState } from '../../src/client/events.ts';
import type { ChatSayResult } from '../../src/client/relay-commands.ts';
import type { RoomsSnapshot } from '../../src/client/room-tracker.ts';
import { BufferList, ChatBuffer } from '../../src/tui/screen/buffers.ts';
import { type InputClient, InputCommands, type InputHost } from '../../src/tui/screen/input-commands.ts';
import { InputLine } from '../../src/tui/screen/input-line.ts';
import { LineView } from '../../src/tui/screen/line-view.ts';
import { withDelivery } from '../../src/tui/screen/lines.ts';
import { ChatModel } from '../../src/tui/screen/model.ts';
import { type Frame, Renderer } from '../../src/tui/screen/render.ts';
import { RoomSync } from '../../src/tui/screen/room-sync.ts';
import { EventRouter } from '../../src/tui/screen/router.ts';
import { rowText } from '../../src/tui/screen/styled.ts';
import { DEFAULT_THEME } from '../../src/tui/screen/theme.ts';

const AT = new Date(2024, 0, 2, 9, 30);

/** Records every line "sent" to the relay. */
class RecordingClient implements InputClient {
  readonly sent: string[] = [];
  rooms: RoomsSnapshot = { rooms: ['#lobby', '#vault'], current: '#vault' };
  nick = 'alice';
  state: ClientState = 'joined';
  say(text: string): ChatSayResult {
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
  /** The rooms keyed, as ChatClient.sealsIn tells. */
  readonly keyed = new Set<string>();
  sealsIn(room: string): boolean {
    return this.keyed.has(room);
  }
}

function setup(host: Partial<InputHost> = {}) {
  const client = new RecordingClient();
  const buffers = new BufferList(new ChatBuffer('room', '#lobby'));
  const view = new LineView({ theme: DEFAULT_THEME, timestampFormat: '' });
  const model = new ChatModel(
    buffers,
    view,
    () => 80,
    () => AT,
  );
  const rooms = new RoomSync(client, model);
  const router = new EventRouter(model, rooms, () => client.nick);
  const keyLines: string[] = [];
  const commands = new InputCommands(client, model, rooms, {
    quit: () => {},
    lag: () => {},
    sent: () => {},
    roomKey: (line) => keyLines.push(line),
    ...host,
  });
  const renderer = new Renderer(view, DEFAULT_THEME);
  const draw = (sealed: boolean): Frame =>
    renderer.render(
      {
        buffers,
        input: new InputLine(),
        status: {
          nick: 'alice',
          relay: '127.0.0.1:9999',
          connection: {
            state: 'joined',
            rttMs: 1,
            silentMs: 0,
            overdue: false,
            attempt: 1,
            nextAttemptInMs: null,
          },
          protocol: 'v2',
          now: AT,
          sealed,
        },
      },
      { columns: 100, rows: 6 },
    );
  return { client, buffers, model, router, commands, keyLines, draw };
}

function text(frame: Frame): string[] {
  return frame.rows.map((row) => rowText(row).trimEnd());
}

describe('/key in the full-screen client', () => {
  test('Enter hands a /key line to the key handler, sends nothing and shows nothing of it', () => {
    const { client, commands, keyLines, buffers } = setup();
    assert.equal(commands.run('/key #vault correct horse'), true);
    assert.equal(commands.run('/KEY #vault'), true);
    assert.deepEqual(keyLines, ['/key #vault correct horse', '/KEY #vault']);
    assert.deepEqual(client.sent, []);
    const shown = buffers.all().flatMap((b) => b.lines.map((line) => JSON.stringify(line.body)));
    assert.equal(shown.join('\n').includes('horse'), false);
  });

  test('it is taken while disconnected too: a key is local, and a room can be keyed before joining', () => {
    const { client, commands, keyLines } = setup();
    client.state = 'reconnecting';
    assert.equal(commands.run('/key #vault pass'), true);
    assert.deepEqual(keyLines, ['/key #vault pass']);
  });

  test('a client without end-to-end rooms (the browser) says so instead', () => {
    const { commands, model, client } = setup({ roomKey: undefined });
    assert.equal(commands.run('/key #vault pass'), true);
    assert.deepEqual(client.sent, []);
    const last = model.focused.lines.at(-1)?.body;
    assert.deepEqual(last, {
      kind: 'local',
      text: 'this client cannot encrypt rooms end to end: use udpchat chat',
      tone: 'error',
    });
  });

  test('a pasted /key line runs as /key: said as text, it would give the room the passphrase', () => {
    const { client, commands, keyLines } = setup();
    assert.equal(commands.pasted('/key #vault pass'), true);
    assert.equal(commands.pasted('/quit now'), true);
    assert.deepEqual(keyLines, ['/key #vault pass']);
    assert.equal(
      client.sent.some((line) => line.includes('pass')),
      false,
    );
    assert.equal(client.sent.at(-1), '//quit now', 'any other pasted command is said');
  });
});

describe('the input history', () => {
  test('Up never brings back a /key line', () => {
    const input = new InputLine();
    for (const line of ['hello', '/key #vault correct horse', '/Key #vault']) {
      input.insert(line);
      input.commit();
    }
    input.historyBack();
    assert.equal(input.text, 'hello');
    input.historyBack();
    assert.equal(input.text, 'hello', 'nothing older');
  });
});

describe('drawing end-to-end rooms', () => {
  test('a line opened with the room key is marked [e2e] before the nick; one not opened is not', () => {
    const { router, buffers, draw } = setup();
    router.chat({ type: 'chat', room: '#vault', nick: 'bob', text: 'in the vault', line: '', e2e: 'opened' });
    router.chat({
      type: 'chat',
      room: '#vault',
      nick: 'eve',
      text: '(encrypted line: you have no key for #vault)',
      line: '',
      e2e: 'no-key',
    });
    router.chat({ type: 'chat', room: '#vault', nick: 'carol', text: '[e2e] typed by hand', line: '' });
    const vault = buffers.find('room', '#vault');
    assert.ok(vault !== undefined);
    buffers.focus(vault);
    assert.deepEqual(text(draw(true)).slice(1, 4), [
      '[e2e] <bob> in the vault',
      '<eve> (encrypted line: you have no key for #vault)',
      '<carol> [e2e] typed by hand',
    ]);
  });

  test('our own line in a keyed room is marked, and stays marked once acknowledged', () => {
    const { client, commands, buffers, draw } = setup();
    const vault = buffers.ensure('room', '#vault');
    buffers.focus(vault);
    client.keyed.add('#vault');
    assert.equal(commands.run('sealed by me'), true);
    client.keyed.clear();
    assert.equal(commands.run('in clear'), true);
    const bodies = vault.lines.map((line) => line.body);
    assert.deepEqual(
      bodies.map((body) => ('sealed' in body ? body.sealed : undefined)),
      [true, undefined],
    );
    const first = bodies[0];
    assert.ok(first?.kind === 'chat');
    assert.equal(withDelivery(first, 'pending').sealed, true);
    const rows = text(draw(false));
    assert.ok(rows.includes('[e2e] <alice> sealed by me'), rows.join('\n'));
    assert.ok(rows.includes('<alice> in clear'), rows.join('\n'));
  });

  test('history opened with the key is marked too', () => {
    const { router, buffers, draw } = setup();
    router.history({
      type: 'history',
      room: '#vault',
      nick: 'bob',
      text: 'said earlier',
      action: false,
      at: AT.getTime(),
      id: 7,
      line: '',
      e2e: 'opened',
    });
    const vault = buffers.find('room', '#vault');
    assert.ok(vault !== undefined);
    buffers.focus(vault);
    assert.ok(text(draw(true)).includes('[history] [e2e] <bob> said earlier'));
  });

  test('the status bar and the title bar mark a room whose lines are encrypted', () => {
    const { buffers, draw } = setup();
    buffers.focus(buffers.ensure('room', '#vault'));
    const sealed = text(draw(true));
    assert.match(sealed[0] ?? '', /^ #vault \[e2e: your lines are encrypted end to end\]/);
    assert.match(sealed[4] ?? '', /\[2:#vault e2e\]/);
    const clear = text(draw(false));
    assert.doesNotMatch(clear.join('\n'), /e2e/);
  });
});
