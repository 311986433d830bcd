/**
 * `udpchat relay --tcp-port` and `udpchat chat --tcp` as real processes, with a seed-style UDP client and
 * the seed's pattern over TCP: a raw `nc` session (a raw socket where nc is not installed) in one room.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, type TestContext, test } from 'node:test';
import { TcpPeer } from '../support/tcp-peer.ts';
import { CliProcess } from './support/cli-process.ts';
import { seedPeer, startRelay } from './support/relay-process.ts';

const HAS_NC = spawnSync('nc', ['-h'], { stdio: 'ignore' }).error === undefined;

async function relayWithTcp(t: TestContext, extra: readonly string[] = []) {
  const relay = await startRelay(t, ['--tcp-port', '0', ...extra]);
  const line = await relay.process.waitForLine(/^relay listening on tcp\/\d+$/);
  return { relay, tcpPort: Number(line.split('/')[1]) };
}

function tcpChat(t: TestContext, port: number, nick: string): CliProcess {
  const child = CliProcess.cli(['chat', nick, '127.0.0.1', String(port), '--tcp'], { name: nick });
  t.after(() => child.stop());
  return child;
}

describe('chat over TCP, end to end', () => {
  test('a TCP chat client, a UDP client and a raw TCP session share a room, in order', async (t) => {
    const { relay, tcpPort } = await relayWithTcp(t);
    const alice = tcpChat(t, tcpPort, 'alice');
    await alice.waitForLine('*** welcome, alice ***');
    const bob = await seedPeer(t, relay, 'bob');
    await alice.waitForLine('*** bob joined ***');
    const carol = await TcpPeer.connect(tcpPort);
    t.after(() => carol.close());
    await carol.join('carol');
    await alice.waitForLine('*** carol joined ***');

    for (const text of ['one', 'two', 'three']) alice.writeLine(text);
    bob.send('from udp\n');
    carol.write('from raw tcp\n');
    await carol.expect('<alice> three');
    await bob.expect('<alice> three\n');
    await alice.waitForLine('<carol> from raw tcp');
    await alice.waitForLine('<bob> from udp');
    assert.deepEqual(
      carol.lines.items.filter((line) => line.startsWith('<alice>')),
      ['<alice> one', '<alice> two', '<alice> three'],
    );
    alice.endInput();
    assert.equal((await alice.waitForExit()).code, 0);
    await carol.expect('*** alice left ***');
  });

  test('the seed pattern over TCP: an nc session joins, chats and leaves', {
    skip: HAS_NC ? false : 'nc is not installed (apt-get install netcat-openbsd)',
  }, async (t) => {
    const { relay, tcpPort } = await relayWithTcp(t);
    const bob = await seedPeer(t, relay, 'bob');
    // -q 1: quit a second after stdin ends, once the relay's answer to /leave had its chance to arrive.
    const nc = CliProcess.spawn('nc', ['-q', '1', '127.0.0.1', String(tcpPort)], { name: 'nc' });
    t.after(() => nc.stop());
    nc.writeLine('/join nelly');
    await nc.waitForLine('*** welcome, nelly ***');
    await bob.expect('*** nelly joined ***\n');
    nc.writeLine('hello over nc');
    await bob.expect('<nelly> hello over nc\n');
    bob.send('hi nelly\n');
    await nc.waitForLine('<bob> hi nelly');
    nc.writeLine('/leave');
    await bob.expect('*** nelly left ***\n');
    nc.endInput();
    await nc.waitForExit();
  });
});
