/**
 * The log never holds a secret or a message body, at any level: a real RelayServer with accounts, logging
 * every event at trace, is sent an authenticated join (right and wrong secrets) and chat lines.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/observability/logger.ts';
import { eventLogger } from '../../src/observability/logger-events.ts';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import type { AccountRecord } from '../../src/relay/accounts.ts';
import { RelayServer } from '../../src/relay-host/relay-server.ts';
import { hashSecret } from '../../src/store/secret-hash.ts';

const SECRET = 'correct-horse-7431';
const WRONG = 'wrong-battery-2209';
const BODY = 'the-body-of-a-message-5512';

async function socket(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return s;
}

function expectLine(s: dgram.Socket, text: string): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (msg: Buffer): void => {
      if (msg.toString('utf8') !== text) return;
      s.off('message', onMessage);
      resolve();
    };
    s.on('message', onMessage);
  });
}

function records(log: string, event: string): { readonly reason?: string }[] {
  return log
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { readonly event?: string; readonly reason?: string })
    .filter((record) => record.event === event);
}

describe('log redaction', () => {
  it('a /join nick secret, right or wrong, and chat lines leave neither secret nor body in the log', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', format: 'json', out: { write: (t) => lines.push(t) } });
    const alice: AccountRecord = {
      nick: 'alice',
      key: lookalikeKey('alice'),
      serverOperator: false,
      credential: await hashSecret(SECRET),
    };
    const server = await RelayServer.start({
      host: '127.0.0.1',
      port: 0,
      relay: { accounts: { find: (key) => (key === alice.key ? alice : undefined) } },
      onEvent: eventLogger(logger),
    });
    const [a, b] = [await socket(), await socket()];
    try {
      const send = (s: dgram.Socket, text: string): void => s.send(text, server.address.port, '127.0.0.1');
      const refused = expectLine(a, '*** authentication failed ***\n');
      send(a, `/join alice ${WRONG}\n`);
      await refused;
      const welcomed = expectLine(a, '*** welcome, alice ***\n');
      send(a, `/join alice ${SECRET}\n`);
      await welcomed;
      const joined = expectLine(b, '*** welcome, bob ***\n');
      send(b, '/join bob\n');
      await joined;
      const relayed = expectLine(b, `<alice> ${BODY}\n`);
      send(a, `${BODY}\n`);
      await relayed;
      // The relay logs each event before it sends the datagrams it causes: once the DM and the refusal
      // have arrived, their records are in the log.
      const delivered = expectLine(b, `[msg] <alice> ${BODY}\n`);
      const tooLong = expectLine(a, '*** line refused: 1126 characters (max 1024) ***\n');
      send(a, `/msg bob ${BODY}\n`);
      send(a, `${'x'.repeat(1_100)}${BODY}\n`);
      await Promise.all([delivered, tooLong]);
    } finally {
      a.close();
      b.close();
      await server.stop();
    }
    const log = lines.join('');
    assert.ok(log.includes('"alice joined"'), 'the join itself is logged');
    assert.ok(log.includes('"relayed"'), 'relayed lines are logged at trace (who, not what)');
    assert.equal(records(log, 'relayed').length, 2, 'the room line and the DM');
    assert.deepEqual(
      records(log, 'refused').map((r) => r.reason),
      ['auth-failed', 'line-too-long'],
      'the wrong secret and the over-long line',
    );
    for (const forbidden of [SECRET, WRONG, BODY])
      assert.ok(!log.includes(forbidden), `${forbidden} in ${log}`);
  });
});
