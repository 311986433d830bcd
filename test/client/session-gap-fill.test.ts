/** ClientSession after a reconnect: what was said while it was away, asked for per room and shown once, in order. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClientEvent, SessionOutput } from '../../src/client/events.ts';
import { GAP_FILL_TIMEOUT_MS } from '../../src/client/gap-fill.ts';
import { ClientSession } from '../../src/client/session.ts';
import { encodeLine } from '../../src/protocol/codec.ts';
import { NO_HISTORY } from '../../src/protocol/history-messages.ts';
import { SERVER_GOING_DOWN } from '../../src/protocol/messages.ts';

const decoder = new TextDecoder();

function sent(output: SessionOutput): string[] {
  return output.datagrams.map((bytes) => decoder.decode(bytes).trimEnd());
}

function relay(client: ClientSession, now: number, ...lines: string[]): ClientEvent[] {
  return lines.flatMap((line) => client.handle(now, encodeLine(line)).events);
}

/** What a UI would show: the text of each chat, history and marker event, in order. */
function shown(events: readonly ClientEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.type === 'chat' || e.type === 'history') return [`${e.type} ${e.room} ${e.nick}: ${e.text}`];
    if (e.type === 'gap-filled') return [`-- ${e.count} lines while you were away in ${e.room}`];
    return [];
  });
}

const time = (id: number) => `2026-12-03T07:00:${String(id).padStart(2, '0')}`;
const live = (id: number, text: string, room = '[#den] ') =>
  `@msgid=${id};time=${time(id)}.000Z ${room}<bob> ${text}`;
const kept = (id: number, text: string) => `[history #den ${time(id)}Z #${id}] <bob> ${text}`;

/** Alice in #den, having seen lines 1 and 2 live; then the relay goes down and welcomes her again. */
function reconnected(): { client: ClientSession; requests: string[] } {
  const client = new ClientSession({ nick: 'alice', random: () => 0.5, reconnect: {} });
  client.start(0);
  relay(client, 0, '*** welcome, alice ***', '[#den] *** you joined #den; now talking in #den ***');
  relay(client, 10, live(1, 'one'), live(2, 'two'));
  relay(client, 20, SERVER_GOING_DOWN);
  client.tick(client.nextTickAt() ?? 0);
  const welcome = client.handle(2_000, encodeLine('*** welcome, alice ***'));
  const requests = sent(welcome);
  for (let at = client.nextTickAt(); at !== null && at < 4_000; at = client.nextTickAt())
    requests.push(...sent(client.tick(at)));
  return { client, requests };
}

describe('gap fill after a reconnect', () => {
  test('asks each room it saw lines in for what came after the last id, after rejoining it', () => {
    const { requests } = reconnected();
    assert.deepEqual(requests, ['/join #den', '/history #den after 2 200']);
  });

  test('the missed lines come once, in order, after one marker; live lines held meanwhile follow them', () => {
    const { client } = reconnected();
    const events = relay(
      client,
      4_000,
      // The relay's history on join (its last lines) may come first: merged by id, nothing twice.
      kept(2, 'two'),
      kept(3, 'three'),
      '[history #den end] 2 lines',
      live(6, 'six, said just now'),
      kept(3, 'three'),
      kept(4, 'four'),
      kept(5, 'five'),
      '[history #den end] 3 lines after #2',
    );
    assert.deepEqual(shown(events), [
      '-- 3 lines while you were away in #den',
      'history #den bob: three',
      'history #den bob: four',
      'history #den bob: five',
      'chat #den bob: six, said just now',
    ]);
    assert.ok(!events.some((e) => e.type === 'history-end'), "the answers' end markers are not shown");
    assert.deepEqual(
      events.filter((e) => e.type === 'history-over'),
      [{ type: 'history-over', room: '#den' }],
      'the fill is over, once',
    );
    assert.deepEqual(shown(relay(client, 4_100, live(7, 'seven'))), ['chat #den bob: seven']);
  });

  test('an answer that never comes (a relay without history) ends the fill at its deadline', () => {
    const { client } = reconnected();
    assert.deepEqual(shown(relay(client, 4_000, live(3, 'three'))), []);
    const due = client.nextTickAt();
    assert.ok(due !== null && due <= 2_000 + GAP_FILL_TIMEOUT_MS);
    const events = client.tick(2_000 + GAP_FILL_TIMEOUT_MS).events;
    assert.deepEqual(shown(events), ['-- 0 lines while you were away in #den', 'chat #den bob: three']);
  });

  test('a relay without a store answers the fill that it keeps none: the fill ends at once', () => {
    const { client } = reconnected();
    assert.deepEqual(shown(relay(client, 4_000, live(3, 'three'))), []);
    const events = relay(client, 4_100, NO_HISTORY);
    assert.deepEqual(shown(events), ['-- 0 lines while you were away in #den', 'chat #den bob: three']);
    // Nothing is left for the deadline to end.
    const later = client.tick(2_000 + GAP_FILL_TIMEOUT_MS).events;
    assert.ok(!later.some((e) => e.type === 'gap-filled'), JSON.stringify(later));
  });

  test('a /history the user asks for later is shown as it comes, older lines included', () => {
    const { client } = reconnected();
    relay(client, 4_000, '[history #den end] 0 lines after #2');
    const events = relay(client, 5_000, kept(1, 'one'), '[history #den end] 1 line');
    assert.deepEqual(shown(events), ['history #den bob: one']);
    assert.ok(events.some((e) => e.type === 'history-end'));
  });
});

describe('our own lines after a reconnect', () => {
  const mine = (id: number, text: string, room = '#den') =>
    `[history ${room} ${time(id)}Z #${id}] <alice> ${text}`;

  /** Alice said two lines in #den and saw none from anyone else; then the relay restarted. */
  function saidThenReconnected(): ClientSession {
    const client = new ClientSession({ nick: 'alice', random: () => 0.5, reconnect: {} });
    client.start(0);
    relay(client, 0, '*** welcome, alice ***', '[#den] *** you joined #den; now talking in #den ***');
    assert.ok(client.say('my first').ok);
    assert.ok(client.say('/me waves').ok);
    relay(client, 20, SERVER_GOING_DOWN);
    client.tick(client.nextTickAt() ?? 0);
    client.handle(2_000, encodeLine('*** welcome, alice ***'));
    return client;
  }

  /** Alice saw bob's line 1, said 'my own' (line 2), and was welcomed again; her fill asks after #1. */
  function sawOneSaidOneReconnected(): ClientSession {
    const client = new ClientSession({ nick: 'alice', random: () => 0.5, reconnect: {} });
    client.start(0);
    relay(client, 0, '*** welcome, alice ***', '[#den] *** you joined #den; now talking in #den ***');
    relay(client, 10, live(1, 'one'));
    assert.ok(client.say('my own').ok);
    relay(client, 20, SERVER_GOING_DOWN);
    client.tick(client.nextTickAt() ?? 0);
    assert.deepEqual(sent(client.handle(2_000, encodeLine('*** welcome, alice ***'))), [
      '/join #den',
      '/history #den after 1 200',
    ]);
    for (let at = client.nextTickAt(); at !== null && at < 2_500; at = client.nextTickAt()) client.tick(at);
    return client;
  }

  test('the history on join does not show them again, but shows what others said meanwhile', () => {
    const client = saidThenReconnected();
    const events = relay(
      client,
      2_100,
      mine(1, 'my first'),
      '[history #den 2026-12-03T07:00:02Z #2] * alice waves',
      kept(3, 'said while alice was away'),
      '[history #den end] 3 lines',
    );
    assert.deepEqual(shown(events), ['history #den bob: said while alice was away']);
    assert.equal(events.at(-1)?.type, 'history-over', 'no fill: the history on join ends it');
    // Each is told as kept by the relay (a dual-path client does not say it again), once.
    assert.deepEqual(
      events.filter((e) => e.type === 'own-kept'),
      [
        { type: 'own-kept', room: '#den', id: 1, text: 'my first', action: false },
        { type: 'own-kept', room: '#den', id: 2, text: 'waves', action: true },
      ],
    );
  });

  test('a /history she asks for later shows her lines as any other', () => {
    const client = saidThenReconnected();
    relay(client, 2_100, mine(1, 'my first'), '[history #den end] 1 lines');
    const asked = relay(client, 3_000, mine(1, 'my first'), '[history #den end] 1 lines');
    assert.deepEqual(shown(asked), ['history #den alice: my first']);
  });

  test('the fill answer does not show them either when a live line came before it', () => {
    const client = sawOneSaidOneReconnected();
    const events = relay(
      client,
      2_600,
      // Said by someone else just after the relay came back, before the answer to the fill.
      live(4, 'four, live'),
      mine(2, 'my own'),
      kept(3, 'three'),
      '[history #den end] 2 lines after #1',
    );
    assert.deepEqual(shown(events), [
      '-- 1 lines while you were away in #den',
      'history #den bob: three',
      'chat #den bob: four, live',
    ]);
  });

  test('nor when the history on join and the fill both carry the same one of them', () => {
    const client = sawOneSaidOneReconnected();
    const events = relay(
      client,
      2_600,
      kept(1, 'one'),
      mine(2, 'my own'),
      '[history #den end] 2 lines',
      mine(2, 'my own'),
      kept(3, 'three'),
      '[history #den end] 2 lines after #1',
    );
    assert.deepEqual(shown(events), ['-- 1 lines while you were away in #den', 'history #den bob: three']);
    assert.deepEqual(
      events.filter((e) => e.type === 'own-kept').map((e) => e.type === 'own-kept' && e.id),
      [2],
      'told once, though carried twice',
    );
  });

  test('a history on join of only her own lines shows nothing, and still tells it is over', () => {
    const client = saidThenReconnected();
    const events = relay(client, 2_100, mine(1, 'my first'), '[history #den end] 1 lines');
    assert.deepEqual(
      events.map((e) => e.type),
      ['own-kept', 'history-over'],
    );
  });

  test('someone else with a line of the same text is still shown', () => {
    const client = saidThenReconnected();
    const events = relay(client, 2_100, kept(1, 'my first'), '[history #den end] 1 lines');
    assert.deepEqual(shown(events), ['history #den bob: my first']);
  });
});

describe('our own lines said right after a /switch', () => {
  test('are remembered for the room switched to, before the relay confirms it', () => {
    const client = new ClientSession({ nick: 'alice', random: () => 0.5, reconnect: {} });
    client.start(0);
    relay(
      client,
      0,
      '*** welcome, alice ***',
      '[#den] *** you joined #den; now talking in #den ***',
      '[#ops] *** you joined #ops; now talking in #ops ***',
    );
    assert.ok(client.say('/switch #den').ok);
    assert.ok(client.say('back in den').ok);
    relay(client, 20, SERVER_GOING_DOWN);
    client.tick(client.nextTickAt() ?? 0);
    client.handle(2_000, encodeLine('*** welcome, alice ***'));
    const events = relay(
      client,
      2_100,
      `[history #den ${time(1)}Z #1] <alice> back in den`,
      '[history #den end] 1 lines',
    );
    assert.deepEqual(shown(events), []);
    assert.ok(!events.some((e) => e.type === 'history-end'), 'an end marker of nothing shown is not shown');
  });
});
