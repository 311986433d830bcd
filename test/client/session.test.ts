/** ClientSession driven by a fake clock: every state transition of the v1 client, without sockets. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { ClientEvent, SessionOutput } from '../../src/client/events.ts';
import { ClientSession, type ClientSessionOptions } from '../../src/client/session.ts';
import { encodeLine } from '../../src/protocol/codec.ts';
import { MAX_LINE_CHARS } from '../../src/protocol/limits.ts';
import { alreadyJoined, nickInUse, nickInvalid, PLEASE_JOIN } from '../../src/protocol/messages.ts';

const PING_MS = 10_000;
const SILENCE_MS = 30_000;
const RETRY_MS = 2_000;
const ATTEMPTS = 5;

const decoder = new TextDecoder();

/** The datagrams of an output as text, newlines included, so the exact bytes are compared. */
function sent(output: SessionOutput): string[] {
  return output.datagrams.map((bytes) => decoder.decode(bytes));
}

function types(output: SessionOutput): ClientEvent['type'][] {
  return output.events.map((event) => event.type);
}

function session(options: Partial<ClientSessionOptions> = {}): ClientSession {
  return new ClientSession({
    nick: 'alice',
    pingIntervalMs: PING_MS,
    silenceWarningMs: SILENCE_MS,
    joinRetryMs: RETRY_MS,
    joinAttempts: ATTEMPTS,
    random: () => 0.5, // no jitter: the interval is exactly PING_MS
    ...options,
  });
}

function relayLine(client: ClientSession, now: number, line: string): SessionOutput {
  return client.handle(now, encodeLine(line));
}

/** A session that was welcomed at `now`. */
function joined(options: Partial<ClientSessionOptions> = {}, now = 0): ClientSession {
  const client = session(options);
  client.start(now);
  relayLine(client, now, '*** welcome, alice ***');
  return client;
}

/** Runs tick() at every deadline up to `until`, collecting what came out. */
function runUntil(client: ClientSession, until: number): { at: number; output: SessionOutput }[] {
  const results: { at: number; output: SessionOutput }[] = [];
  for (let at = client.nextTickAt(); at !== null && at <= until; at = client.nextTickAt()) {
    results.push({ at, output: client.tick(at) });
  }
  return results;
}

describe('joining', () => {
  test('start sends exactly "/join alice\\n"', () => {
    const client = session();
    const output = client.start(0);
    assert.deepEqual([...(output.datagrams[0] ?? [])], [...new TextEncoder().encode('/join alice\n')]);
    assert.equal(output.datagrams.length, 1);
    assert.equal(client.state, 'joining');
  });

  test('start twice sends one /join', () => {
    const client = session();
    client.start(0);
    assert.deepEqual(sent(client.start(1)), []);
  });

  test('a welcome moves joining to joined and reports the nick the relay registered', () => {
    const client = session();
    client.start(0);
    const output = relayLine(client, 5, '*** welcome, alice ***');
    assert.deepEqual(output.events, [{ type: 'welcome', nick: 'alice', line: '*** welcome, alice ***' }]);
    assert.equal(client.state, 'joined');
  });

  test('the seed relay truncates a long nick; the welcome tells us the nick it kept', () => {
    const client = session({ nick: 'a'.repeat(40) });
    client.start(0);
    relayLine(client, 5, `*** welcome, ${'a'.repeat(32)} ***`);
    assert.equal(client.nick, 'a'.repeat(32));
  });

  test('"already joined" answers a retried /join whose welcome was lost: we are joined', () => {
    const client = session();
    client.start(0);
    client.tick(RETRY_MS);
    const output = relayLine(client, RETRY_MS + 1, alreadyJoined('alice'));
    assert.deepEqual(types(output), ['welcome']);
    assert.equal(client.state, 'joined');
  });

  test('an unanswered /join is re-sent every joinRetryMs, joinAttempts times in all, then given up', () => {
    const client = session();
    assert.deepEqual(sent(client.start(0)), ['/join alice\n']);
    const ticks = runUntil(client, ATTEMPTS * RETRY_MS);
    const joins = ticks.filter((t) => sent(t.output).includes('/join alice\n')).map((t) => t.at);
    assert.deepEqual(joins, [2_000, 4_000, 6_000, 8_000]);
    const last = ticks.at(-1);
    assert.equal(last?.at, 10_000);
    assert.deepEqual(last?.output.events, [{ type: 'unanswered', attempts: ATTEMPTS }]);
    assert.equal(client.state, 'unanswered');
    // After giving up only the silence warning is still scheduled.
    assert.equal(client.nextTickAt(), SILENCE_MS);
  });

  test('no /ping is sent while joining', () => {
    const client = session();
    client.start(0);
    for (const { output } of runUntil(client, PING_MS * 2)) assert.ok(!sent(output).includes('/ping\n'));
  });

  test('a welcome that arrives after giving up still joins', () => {
    const client = session();
    client.start(0);
    runUntil(client, ATTEMPTS * RETRY_MS);
    assert.deepEqual(types(relayLine(client, 11_000, '*** welcome, alice ***')), ['welcome']);
    assert.equal(client.state, 'joined');
  });

  test('"please /join" while joining is shown but does not add a /join: the retries cover it', () => {
    const client = session();
    client.start(0);
    const output = relayLine(client, 1, PLEASE_JOIN);
    assert.deepEqual(output.events, [
      { type: 'notice', room: null, text: 'please /join <nickname> first', line: PLEASE_JOIN },
    ]);
    assert.deepEqual(sent(output), []);
  });

  test('a nick line break is refused before anything is sent', () => {
    assert.throws(() => session({ nick: 'al\nice' }), RangeError);
    assert.throws(() => session({ nick: 'al\rice' }), RangeError);
  });
});

describe('refusal', () => {
  for (const [name, line] of [
    ['nick in use', nickInUse('alice')],
    ['nick invalid', nickInvalid('it has a space')],
  ] as const) {
    test(`"${name}" while joining is a refusal that ends the session`, () => {
      const client = session();
      client.start(0);
      const output = relayLine(client, 3, line);
      assert.deepEqual(output.events, [{ type: 'refused', line }]);
      assert.equal(client.state, 'refused');
      assert.equal(client.nextTickAt(), null);
      assert.deepEqual(sent(client.leave()), [], 'the relay never took us: no /leave');
      assert.equal(client.say('hi').ok, false);
    });
  }

  test('the same line while joined is only a notice', () => {
    const client = joined();
    const output = relayLine(client, 1, nickInUse('bob'));
    assert.deepEqual(types(output), ['notice']);
    assert.equal(client.state, 'joined');
  });
});

describe('relay lines', () => {
  test('/pong is silent', () => {
    const client = joined();
    assert.deepEqual(relayLine(client, 1, '/pong'), { datagrams: [], events: [] });
  });

  test('chat, notice and any other line become typed events; a datagram may carry several lines', () => {
    const client = joined();
    const output = client.handle(
      1,
      new TextEncoder().encode('<bob> hey alice\n*** carol joined ***\r\nhello\n'),
    );
    assert.deepEqual(output.events, [
      { type: 'chat', room: '#lobby', nick: 'bob', text: 'hey alice', line: '<bob> hey alice' },
      { type: 'notice', room: null, text: 'carol joined', line: '*** carol joined ***' },
      { type: 'line', line: 'hello' },
    ]);
  });

  test('a second welcome while joined is a notice, not a new join', () => {
    const client = joined();
    assert.deepEqual(types(relayLine(client, 1, '*** welcome, alice ***')), ['notice']);
  });
});

describe('hostile relay lines are sanitised before anything looks at them', () => {
  test('ANSI escapes and BEL are removed from a chat line', () => {
    const client = joined();
    const output = relayLine(client, 1, '<eve> \x1b[2J\x07hi \x1b]0;pwned\x07there');
    assert.deepEqual(output.events, [
      { type: 'chat', room: '#lobby', nick: 'eve', text: 'hi there', line: '<eve> hi there' },
    ]);
  });

  test('8-bit C1 controls and bidi overrides are removed', () => {
    const client = joined();
    const output = relayLine(client, 1, 'a\u009b31mb\u202ec\u0085d');
    assert.deepEqual(output.events, [{ type: 'line', line: 'abcd' }]);
  });

  test('invalid UTF-8 becomes U+FFFD instead of killing the receive loop (the seed pitfall)', () => {
    const client = joined();
    const bytes = Uint8Array.from([
      ...new TextEncoder().encode('<bob> '),
      0xff,
      0xc3,
      ...new TextEncoder().encode('hi\n'),
    ]);
    const [event] = client.handle(1, bytes).events;
    assert.deepEqual(event, {
      type: 'chat',
      room: '#lobby',
      nick: 'bob',
      text: '\ufffd\ufffdhi',
      line: '<bob> \ufffd\ufffdhi',
    });
  });

  test('a line that is nothing but controls produces no event', () => {
    const client = joined();
    assert.deepEqual(relayLine(client, 1, '\x1b[2J\x07').events, []);
  });

  test('an escape cannot smuggle in a /pong or a welcome: the sanitised text is what is judged', () => {
    const client = session();
    client.start(0);
    const output = relayLine(client, 1, '*** welcome, \x1b[31mmallory ***');
    assert.deepEqual(output.events, [{ type: 'welcome', nick: 'mallory', line: '*** welcome, mallory ***' }]);
  });

  test('no event text ever contains a C0/C1 control (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const client = joined();
        for (const event of client.handle(1, bytes).events) {
          const text = 'line' in event ? event.line : '';
          assert.ok(!/[\x00-\x08\x0a-\x1f\x7f-\x9f]/.test(text), JSON.stringify(text));
        }
      }),
    );
  });
});

describe('keep-alive', () => {
  test('with no jitter a /ping goes out every pingIntervalMs after the welcome', () => {
    const client = joined({}, 1_000);
    const pings = runUntil(client, 1_000 + 3 * PING_MS)
      .filter((t) => sent(t.output).includes('/ping\n'))
      .map((t) => t.at);
    assert.deepEqual(pings, [11_000, 21_000, 31_000]);
  });

  test('nothing is sent one millisecond before the ping is due', () => {
    const client = joined();
    assert.deepEqual(sent(client.tick(PING_MS - 1)), []);
    assert.deepEqual(sent(client.tick(PING_MS)), ['/ping\n']);
  });

  test('the jittered interval stays within ±pingJitterFraction of pingIntervalMs (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (draw, fraction) => {
          const client = joined({ random: () => draw, pingJitterFraction: fraction });
          const due = client.nextTickAt() ?? Number.NaN;
          assert.ok(
            due >= PING_MS * (1 - fraction) - 1e-6 && due <= PING_MS * (1 + fraction) + 1e-6,
            `${due}`,
          );
        },
      ),
    );
  });

  test('the extremes of the random draw give the extremes of the default ±10% jitter', () => {
    assert.equal(joined({ random: () => 0 }).nextTickAt(), 9_000);
    assert.ok((joined({ random: () => 0.999_999 }).nextTickAt() ?? 0) > 10_999);
  });
});

describe('silence', () => {
  test('the warning comes exactly silenceWarningMs after the last datagram, once, and carries the seconds', () => {
    const client = joined({ pingIntervalMs: 60_000 }, 0);
    relayLine(client, 5_000, '<bob> hi');
    assert.equal(client.nextTickAt(), 35_000);
    assert.deepEqual(client.tick(34_999).events, []);
    assert.deepEqual(client.tick(35_000).events, [{ type: 'silent', seconds: 30 }]);
    assert.deepEqual(client.tick(50_000).events, [], 'warned once per silence');
  });

  test('any datagram after the warning reports the relay answering again, before its lines', () => {
    const client = joined({ pingIntervalMs: 60_000 }, 0);
    client.tick(SILENCE_MS);
    const output = relayLine(client, 42_000, '<bob> back');
    assert.deepEqual(types(output), ['answering', 'chat']);
    assert.deepEqual(output.events[0], { type: 'answering', silentSeconds: 42 });
    // A /pong is silent, but it still counts as an answer.
    client.tick(42_000 + SILENCE_MS);
    assert.deepEqual(types(relayLine(client, 80_000, '/pong')), ['answering']);
  });

  test('pings continue while the relay is silent', () => {
    const client = joined({}, 0);
    const pings = runUntil(client, 40_000).filter((t) => sent(t.output).includes('/ping\n'));
    assert.equal(pings.length, 4);
  });
});

describe('relay restart', () => {
  test('"please /join" while joined means the relay lost us: /join is re-sent', () => {
    const client = joined();
    const output = relayLine(client, 12_000, PLEASE_JOIN);
    assert.deepEqual(types(output), ['notice', 'rejoining']);
    assert.deepEqual(sent(output), ['/join alice\n']);
    assert.equal(client.state, 'joining');
    assert.equal(client.nextTickAt(), 12_000 + RETRY_MS, 'the rejoin is retried like the first join');
    assert.deepEqual(types(relayLine(client, 12_001, '*** welcome, alice ***')), ['welcome']);
    assert.equal(client.state, 'joined');
  });

  test('"please /join" after giving up restarts the join: the relay is there after all', () => {
    const client = session();
    client.start(0);
    runUntil(client, ATTEMPTS * RETRY_MS);
    assert.deepEqual(sent(relayLine(client, 20_000, PLEASE_JOIN)), ['/join alice\n']);
    assert.equal(client.state, 'joining');
  });
});

describe('say and leave', () => {
  test('a line is sent as one datagram with one newline', () => {
    const result = joined().say('hello');
    assert.ok(result.ok);
    assert.deepEqual(sent(result.output), ['hello\n']);
  });

  test('a line may be sent while joining, as the seed does', () => {
    const client = session();
    client.start(0);
    assert.equal(client.say('early').ok, true);
  });

  test(`${MAX_LINE_CHARS} code points are sent; one more is refused, never truncated`, () => {
    const client = joined();
    const astral = '😀'.repeat(MAX_LINE_CHARS);
    assert.equal(client.say(astral).ok, true, 'code points, not UTF-16 units');
    const result = client.say(`${astral}x`);
    assert.deepEqual(result.ok ? null : result.error.code, 'too-long');
    assert.deepEqual(result.ok ? null : [result.error.chars, result.error.max], [
      MAX_LINE_CHARS + 1,
      MAX_LINE_CHARS,
    ]);
  });

  for (const text of ['a\nb', 'a\rb', 'trailing\n']) {
    test(`a line break is refused: ${JSON.stringify(text)}`, () => {
      const result = joined().say(text);
      assert.equal(result.ok ? null : result.error.code, 'line-break');
    });
  }

  test('an empty line is refused as empty', () => {
    const result = joined().say('');
    assert.equal(result.ok ? null : result.error.code, 'empty');
  });

  test('say before start is refused', () => {
    const result = session().say('hi');
    assert.equal(result.ok ? null : result.error.code, 'inactive');
  });

  test('leave sends "/leave\\n" once and stops every timer', () => {
    const client = joined();
    assert.deepEqual(sent(client.leave()), ['/leave\n']);
    assert.equal(client.state, 'left');
    assert.equal(client.nextTickAt(), null);
    assert.deepEqual(sent(client.leave()), []);
    assert.equal(client.say('hi').ok, false);
  });

  test('a typed /leave leaves, so no later ping makes the relay ask us to rejoin', () => {
    const client = joined();
    const result = client.say('/leave');
    assert.deepEqual(result.ok ? sent(result.output) : null, ['/leave\n']);
    assert.equal(client.state, 'left');
  });
});

describe('options', () => {
  test('nonsense timings are refused', () => {
    assert.throws(() => session({ pingIntervalMs: 0 }), RangeError);
    assert.throws(() => session({ pingJitterFraction: 1 }), RangeError);
    assert.throws(() => session({ joinAttempts: Number.NaN }), RangeError);
  });
});
