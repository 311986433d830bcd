/** ClientSession with the `reconnect` option, driven by a fake clock: losing the relay, backing off, rejoining. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { ClientEvent, SessionOutput } from '../../src/client/events.ts';
import { backoffDelay, RECONNECT_DEFAULTS, rejoinLines } from '../../src/client/reconnect.ts';
import { ClientSession, type ClientSessionOptions } from '../../src/client/session.ts';
import { encodeLine } from '../../src/protocol/codec.ts';
import { PLEASE_JOIN, SERVER_GOING_DOWN } from '../../src/protocol/messages.ts';

const decoder = new TextDecoder();
const PING_MS = 10_000;

function sent(output: SessionOutput): string[] {
  return output.datagrams.map((bytes) => decoder.decode(bytes).trimEnd());
}

function types(output: SessionOutput): ClientEvent['type'][] {
  return output.events.map((event) => event.type);
}

function relayLine(client: ClientSession, now: number, line: string): SessionOutput {
  return client.handle(now, encodeLine(line));
}

/** No jitter anywhere (random 0.5), so every deadline is exact. */
function joined(options: Partial<ClientSessionOptions> = {}): ClientSession {
  const client = new ClientSession({
    nick: 'alice',
    pingIntervalMs: PING_MS,
    random: () => 0.5,
    reconnect: {},
    ...options,
  });
  client.start(0);
  relayLine(client, 0, '*** welcome, alice ***');
  return client;
}

/** Ticks at every deadline up to `until`; returns what was sent and reported, with times. */
function runUntil(
  client: ClientSession,
  until: number,
): { at: number; sent: string[]; events: ClientEvent[] }[] {
  const steps: { at: number; sent: string[]; events: ClientEvent[] }[] = [];
  for (let at = client.nextTickAt(); at !== null && at <= until; at = client.nextTickAt()) {
    const output = client.tick(at);
    steps.push({ at, sent: sent(output), events: output.events });
  }
  return steps;
}

describe('losing the relay', () => {
  test('an unanswered ping is repeated every 2 s and after three the session reconnects at once', () => {
    const client = joined();
    const steps = runUntil(client, 16_000);
    assert.deepEqual(
      steps.map((s) => [s.at, s.sent]),
      [
        [10_000, ['/ping']],
        [12_000, ['/ping']],
        [14_000, ['/ping']],
        [16_000, ['/join alice']],
      ],
    );
    assert.deepEqual(steps.at(-1)?.events, [
      { type: 'reconnecting', reason: 'no-answer', silentSeconds: 16 },
    ]);
    assert.equal(client.state, 'reconnecting');
  });

  test('a lost pong is not a lost relay: anything heard stops the repeats', () => {
    const client = joined();
    client.tick(10_000);
    client.tick(12_000);
    relayLine(client, 12_500, '<bob> still here');
    assert.equal(client.nextTickAt(), 20_000, 'back to the normal ping schedule');
    assert.equal(client.state, 'joined');
  });

  test('the status says "no answer" once a ping has waited 2 s, with the seconds since the last datagram', () => {
    const client = joined();
    client.tick(10_000);
    assert.equal(client.connection(11_999).overdue, false);
    const status = client.connection(12_000);
    assert.equal(status.overdue, true);
    assert.equal(status.silentMs, 12_000);
    assert.equal(status.state, 'joined');
  });

  test('"server going down" starts reconnecting after a first wait, the relay being about to close', () => {
    const client = joined();
    const output = relayLine(client, 5_000, SERVER_GOING_DOWN);
    assert.deepEqual(types(output), ['notice', 'reconnecting']);
    assert.deepEqual(sent(output), []);
    assert.equal(client.nextTickAt(), 6_000);
    assert.deepEqual(sent(client.tick(6_000)), ['/join alice']);
  });

  test('a new connection under a backing-off session (rejoin) sends its /join at once', () => {
    const client = joined();
    relayLine(client, 5_000, SERVER_GOING_DOWN);
    const output = client.rejoin(5_200);
    assert.deepEqual(types(output), ['rejoining']);
    assert.deepEqual(sent(output), ['/join alice']);
    const welcomed = relayLine(client, 5_300, '*** welcome, alice ***');
    assert.deepEqual(types(welcomed), ['welcome', 'reconnected']);
  });

  test('without the option the seed behaviour stays: pings every interval, no /join', () => {
    const client = joined({ reconnect: undefined });
    const steps = runUntil(client, 29_000);
    assert.deepEqual(
      steps.flatMap((s) => s.sent),
      ['/ping', '/ping'],
    );
    assert.deepEqual(types(relayLine(client, 29_500, SERVER_GOING_DOWN)), ['notice']);
  });
});

describe('backing off', () => {
  test('attempts double from 1 s to the 30 s cap', () => {
    const client = joined();
    runUntil(client, 16_000);
    const times = runUntil(client, 16_000 + 121_000)
      .filter((s) => s.sent.includes('/join alice'))
      .map((s) => s.at - 16_000);
    assert.deepEqual(times, [1_000, 3_000, 7_000, 15_000, 31_000, 61_000, 91_000, 121_000]);
    assert.equal(client.connection(16_000 + 121_000).attempt, 9, 'the one at once and eight more');
  });

  test('the connection status counts the attempts and the time to the next', () => {
    const client = joined();
    runUntil(client, 17_000);
    assert.deepEqual(client.connection(17_500), {
      state: 'reconnecting',
      rttMs: 0,
      silentMs: 17_500,
      overdue: true,
      attempt: 2,
      nextAttemptInMs: 1_500,
    });
  });

  test('jitter keeps every wait within ±20 % of the capped doubling (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const wait = backoffDelay(RECONNECT_DEFAULTS, n, () => r);
          const base = Math.min(30_000, 1_000 * 2 ** (n - 1));
          assert.ok(wait >= base * 0.8 - 1e-6 && wait < base * 1.2 + 1e-6, `${n}: ${wait}`);
        },
      ),
    );
  });

  test('a datagram while backing off brings the next attempt forward to one base wait after the last', () => {
    const client = joined();
    runUntil(client, 16_000 + 15_000); // attempts at +0, +1, +3, +7, +15 s; the next is 16 s away
    relayLine(client, 31_500, PLEASE_JOIN);
    assert.equal(client.nextTickAt(), 32_000);
  });

  test('joins that were never answered at start back off instead of giving up', () => {
    const client = new ClientSession({ nick: 'alice', random: () => 0.5, reconnect: {} });
    client.start(0);
    const steps = runUntil(client, 12_000);
    assert.deepEqual(
      steps.map((s) => s.at),
      [2_000, 4_000, 6_000, 8_000, 10_000, 11_000],
    );
    assert.equal(client.state, 'reconnecting');
    assert.ok(!steps.some((s) => s.events.some((e) => e.type === 'unanswered')));
  });
});

describe('coming back', () => {
  function inRooms(): ClientSession {
    const client = joined();
    relayLine(client, 1, '[#rust] *** you joined #rust; now talking in #rust ***');
    relayLine(client, 2, '[#go] *** you joined #go; now talking in #go ***');
    relayLine(client, 3, '[#rust] *** now talking in #rust ***');
    return client;
  }

  test('once welcomed again it rejoins its rooms, restores where it talked, and says so', () => {
    const client = inRooms();
    runUntil(client, 16_000);
    const output = relayLine(client, 16_100, '*** welcome, alice ***');
    assert.deepEqual(types(output), ['welcome', 'reconnected']);
    assert.deepEqual(output.events[1], { type: 'reconnected', nick: 'alice', rooms: ['#rust', '#go'] });
    assert.deepEqual(sent(output), ['/join #rust', '/join #go', '/switch #rust']);
    assert.equal(client.state, 'joined');
  });

  test('"please /join" from a restarted relay rejoins the nick and then the rooms', () => {
    const client = inRooms();
    const please = relayLine(client, 5_000, PLEASE_JOIN);
    assert.deepEqual(sent(please), ['/join alice']);
    const welcome = relayLine(client, 5_010, '*** welcome, alice ***');
    assert.deepEqual(types(welcome), ['welcome', 'reconnected']);
    assert.deepEqual(sent(welcome), ['/join #rust', '/join #go', '/switch #rust']);
  });

  test('many rooms are rejoined in a burst of 8, then one line every 300 ms', () => {
    const client = joined();
    const rooms = Array.from({ length: 12 }, (_, i) => `#r${i}`);
    for (const room of rooms)
      relayLine(client, 1, `[${room}] *** you joined ${room}; now talking in ${room} ***`);
    relayLine(client, 2, PLEASE_JOIN);
    const welcome = relayLine(client, 3, '*** welcome, alice ***');
    assert.equal(sent(welcome).length, 8);
    assert.equal(client.nextTickAt(), 303);
    const later = runUntil(client, 1_500).flatMap((s) => s.sent);
    assert.deepEqual(later, ['/join #r8', '/join #r9', '/join #r10', '/join #r11']);
  });

  test('a refusal while reconnecting is shown and the attempts go on', () => {
    const client = joined();
    runUntil(client, 16_000);
    const output = relayLine(client, 16_100, '*** nickname alice is already in use ***');
    assert.deepEqual(types(output), ['notice']);
    assert.equal(client.state, 'reconnecting');
  });

  test('rejoinLines: the lobby is automatic and the current room comes last', () => {
    assert.deepEqual(rejoinLines(['#lobby'], '#lobby', '#lobby'), []);
    assert.deepEqual(rejoinLines(['#lobby', '#a'], '#lobby', '#lobby'), ['/join #a', '/switch #lobby']);
    assert.deepEqual(rejoinLines(['#lobby', '#a', '#b'], '#b', '#lobby'), ['/join #a', '/join #b']);
  });
});

describe('round-trip time', () => {
  test('a /join answered at its first sending gives the first sample', () => {
    const client = new ClientSession({ nick: 'alice', random: () => 0.5 });
    client.start(100);
    relayLine(client, 142, '*** welcome, alice ***');
    assert.equal(client.connection(142).rttMs, 42);
  });

  test('a /join answered after a retry gives none (Karn)', () => {
    const client = new ClientSession({ nick: 'alice', random: () => 0.5 });
    client.start(0);
    client.tick(2_000);
    relayLine(client, 2_010, '*** welcome, alice ***');
    assert.equal(client.connection(2_010).rttMs, null);
  });

  test('a keep-alive /pong is an rtt event', () => {
    const client = joined({ reconnect: undefined });
    client.tick(PING_MS);
    assert.deepEqual(relayLine(client, PING_MS + 7, '/pong').events, [{ type: 'rtt', ms: 7 }]);
    assert.equal(client.connection(PING_MS + 7).rttMs, 7);
  });

  test('ping() measures on demand (/lag) and is refused before the welcome', () => {
    const client = joined();
    const result = client.ping(500);
    assert.ok(result.ok);
    if (result.ok) assert.deepEqual(sent(result.output), ['/ping']);
    assert.deepEqual(relayLine(client, 530, '/pong').events, [{ type: 'rtt', ms: 30 }]);
    const fresh = new ClientSession({ nick: 'alice', random: () => 0.5 });
    assert.equal(fresh.ping(0).ok, false);
  });

  test('a pong after a repeated ping is no sample', () => {
    const client = joined();
    client.tick(10_000);
    client.tick(12_000);
    assert.deepEqual(relayLine(client, 12_005, '/pong').events, []);
  });
});

describe('leave', () => {
  test('leave(message) sends "/leave message"', () => {
    const client = joined();
    assert.deepEqual(sent(client.leave('see you')), ['/leave see you']);
    assert.equal(client.state, 'left');
  });

  test('leaving while reconnecting still says goodbye', () => {
    const client = joined();
    runUntil(client, 16_000);
    assert.deepEqual(sent(client.leave()), ['/leave']);
  });
});
