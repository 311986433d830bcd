import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createLogger,
  defaultLogFormat,
  type LogFormat,
  type LogLevel,
} from '../../src/observability/logger.ts';
import { eventLogger } from '../../src/observability/logger-events.ts';
import { formatPrettyLine } from '../../src/observability/logger-pretty.ts';
import type { Address } from '../../src/protocol/address.ts';

const A: Address = { host: '127.0.0.1', port: 40001 };

function capture(level: LogLevel, format: LogFormat = 'json') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    format,
    out: { write: (text) => lines.push(...text.split('\n').filter(Boolean)) },
  });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the relay log', () => {
  it('json: one object per line, with the level by name, an ISO time and the message', () => {
    const { logger, records } = capture('info');
    logger.info({ port: 9999 }, 'relay started');
    const [record] = records();
    assert.equal(record?.level, 'info');
    assert.equal(record?.msg, 'relay started');
    assert.equal(record?.port, 9999);
    assert.match(String(record?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('pretty: time, level, message, then key=value fields (quoted when needed), no JSON', () => {
    const { logger, lines } = capture('info', 'pretty');
    logger.info({ nick: 'alice', address: '127.0.0.1:5000', note: 'two words' }, 'alice joined');
    assert.match(
      lines[0] ?? '',
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}alice joined {2}nick=alice address=127\.0\.0\.1:5000 note="two words"$/,
    );
  });

  it('pretty output escapes control characters instead of writing them', () => {
    const line = formatPrettyLine(JSON.stringify({ level: 'warn', time: 0, msg: 'm', value: 'a\x1b[2Jb' }));
    assert.ok(!line.includes('\x1b'), line);
    assert.ok(line.includes('value="a\\u001b[2Jb"'), line);
    const sneaky = formatPrettyLine(
      JSON.stringify({ level: 'info', time: 0, msg: 'x\u202e\x9b', v: 'y\x7f\u202e' }),
    );
    assert.ok(!/[\u202e\x9b\x7f]/.test(sneaky), sneaky);
  });

  it('drops records below the level', () => {
    const { logger, lines } = capture('warn');
    logger.info('hidden');
    logger.warn('shown');
    assert.equal(lines.length, 1);
  });

  it('replaces a secret, password or body field should one ever be logged (defence in depth)', () => {
    const { logger, lines } = capture('trace');
    logger.info({ secret: 'hunter2', task: { secret: 'hunter3' }, body: 'hello', password: 'pw' }, 'oops');
    assert.ok(!/hunter2|hunter3|hello|"pw"/.test(lines.join('\n')), lines.join('\n'));
  });

  it('is pretty on a terminal and JSON when the output is collected', () => {
    assert.equal(defaultLogFormat(true), 'pretty');
    assert.equal(defaultLogFormat(false), 'json');
  });
});

describe('relay events in the log', () => {
  it('joins and departures at info, with nick, address and reason', () => {
    const { logger, records } = capture('info');
    const log = eventLogger(logger);
    log({ type: 'joined', address: A, nick: 'alice' });
    log({ type: 'departed', address: A, nick: 'alice', reason: 'timed out' });
    assert.deepEqual(
      records().map(({ level, msg, event, nick, address, reason }) => ({
        level,
        msg,
        event,
        nick,
        address,
        reason,
      })),
      [
        {
          level: 'info',
          msg: 'alice joined',
          event: 'joined',
          nick: 'alice',
          address: '127.0.0.1:40001',
          reason: undefined,
        },
        {
          level: 'info',
          msg: 'alice timed out',
          event: 'departed',
          nick: 'alice',
          address: '127.0.0.1:40001',
          reason: 'timed out',
        },
      ],
    );
  });

  it('refusals only at debug, relayed lines and drops only at trace, never with text', () => {
    const events = (level: LogLevel): Record<string, unknown>[] => {
      const { logger, records } = capture(level);
      const log = eventLogger(logger);
      log({ type: 'refused', address: A, reason: 'line-too-long' });
      log({ type: 'relayed', address: A, nick: 'alice', recipients: 2 });
      log({ type: 'ignored', address: A, reason: 'throttled' });
      return records();
    };
    assert.deepEqual(events('info'), []);
    assert.deepEqual(
      events('debug').map((r) => [r.level, r.event, r.reason]),
      [['debug', 'refused', 'line-too-long']],
    );
    const traced = events('trace');
    assert.deepEqual(
      traced.map((r) => r.event),
      ['refused', 'relayed', 'ignored'],
    );
    assert.equal(traced[1]?.recipients, 2);
  });
});
