/**
 * The dual path as real processes: `udpchat relay --db` and two line filters started with
 * `chat --relay H:P --multicast G:P` on loopback multicast (IP_MULTICAST_IF 127.0.0.1, TTL 0). Each lobby
 * line reaches the other client by both paths and is printed once; the relay is killed mid-conversation
 * and the two keep chatting over the LAN, saying so; the relay restarted on the same file and port, they
 * go back to both paths, the lines said meanwhile reach the relay's history (once each), and nothing is
 * printed twice.
 */
import assert from 'node:assert/strict';
import { after, describe, type TestContext, test } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { TempDir } from '../store/support/temp-dir.ts';
import { freshGroup, groupText, LOOPBACK } from '../support/multicast-group.ts';
import { CliProcess } from './support/cli-process.ts';
import { UdpForwarder } from './support/udp-forwarder.ts';

const dir = new TempDir('e2e-dual-path');
after(() => dir.remove());

/** A v2 stall shows within about 2.25 s; a silent v1 relay within the silence warning. */
const LOST_MS = 20_000;
/** The dual client tries again for its relay at most 5 s apart. */
const BACK_MS = 25_000;

async function relayOn(t: TestContext, db: string, port = 0): Promise<{ process: CliProcess; port: number }> {
  const relay = CliProcess.cli(
    ['relay', '--host', LOOPBACK, '--port', String(port), '--db', db, '--line-rate', '0'],
    { name: port === 0 ? 'relay' : 'restarted relay' },
  );
  t.after(() => relay.stop());
  const line = await relay.waitForLine(/^relay listening on udp\/\d+$/, { timeoutMs: 10_000 });
  return { process: relay, port: Number(line.split('/')[1]) };
}

function dualChat(t: TestContext, nick: string, port: number, group: Address): CliProcess {
  const child = CliProcess.cli(
    [
      'chat',
      nick,
      '--relay',
      `${LOOPBACK}:${port}`,
      '--multicast',
      groupText(group),
      '--interface',
      LOOPBACK,
      '--ttl',
      '0',
    ],
    { name: nick },
  );
  t.after(() => child.stop());
  return child;
}

function relayOnly(t: TestContext, nick: string, port: number): CliProcess {
  const child = CliProcess.cli(['chat', nick, LOOPBACK, String(port)], { name: nick });
  t.after(() => child.stop());
  return child;
}

function count(lines: readonly string[], line: string): number {
  return lines.filter((item) => item === line).length;
}

/**
 * `from` sends a private line to `to` (relay only, behind every lobby line it relayed to `to` before):
 * once `to` prints it, every relay copy of the earlier lobby lines has been handled.
 */
async function settle(from: CliProcess, fromNick: string, to: CliProcess, toNick: string, tag: string) {
  from.writeLine(`/msg ${toNick} ${tag}`);
  await to.waitForLine((line) => line.includes(fromNick) && line.endsWith(tag), { timeoutMs: 10_000 });
}

describe('chat --relay --multicast: the dual path, end to end', () => {
  test('lines shown once; the relay killed: the LAN goes on; the relay back: caught up, nothing twice', async (t) => {
    const db = dir.file('dual');
    const first = await relayOn(t, db);
    const group = freshGroup();
    const alice = dualChat(t, 'alice', first.port, group);
    const bob = dualChat(t, 'bob', first.port, group);
    const carol = relayOnly(t, 'carol', first.port);
    await alice.waitForLine('*** welcome, alice ***');
    await bob.waitForLine('*** welcome, bob ***');
    await carol.waitForLine('*** welcome, carol ***');

    alice.writeLine('hello on both paths');
    await bob.waitForLine('<alice> hello on both paths');
    await carol.waitForLine('<alice> hello on both paths');
    bob.writeLine('/me waves back');
    await alice.waitForLine('* bob waves back');
    await settle(alice, 'alice', bob, 'bob', 'settled-1');
    await settle(bob, 'bob', alice, 'alice', 'settled-1');
    carol.endInput();
    await carol.waitForExit();

    // Killed mid-conversation: a line said at once goes out on both paths, the relay's copy into the void.
    process.kill(first.process.pid as number, 'SIGKILL');
    await first.process.exited;
    alice.writeLine('said as the relay died');
    await bob.waitForLine('<alice> said as the relay died');
    const lost = /^\*\*\* relay lost: lobby lines go on over the LAN \(.+\) only \*\*\*$/;
    await alice.waitForLine(lost, { timeoutMs: LOST_MS });
    await bob.waitForLine(lost, { timeoutMs: LOST_MS });
    bob.writeLine('over the LAN only');
    await alice.waitForLine('<bob> over the LAN only');
    alice.writeLine('/me is still here');
    await bob.waitForLine('* alice is still here');

    const second = await relayOn(t, db, first.port);
    const back = /^\*\*\* relay back: lobby lines go on both paths/;
    await alice.waitForLine(back, { timeoutMs: BACK_MS });
    await bob.waitForLine(back, { timeoutMs: BACK_MS });
    alice.writeLine('after the return');
    await bob.waitForLine('<alice> after the return');
    await settle(alice, 'alice', bob, 'bob', 'settled-2');
    await settle(bob, 'bob', alice, 'alice', 'settled-2');

    // The relay's users see what was said while it was away, each line once, in its history.
    const dave = relayOnly(t, 'dave', second.port);
    await dave.waitForLine('*** welcome, dave ***');
    dave.writeLine('/history #lobby 50');
    await dave.waitForLine(/^\[history #lobby end\]/);
    const history = dave.stdout.items
      .filter((line) => line.startsWith('[history #lobby '))
      .map((line) => line.replace(/^\[history #lobby [^\]]*\] /, ''));
    for (const line of [
      '<alice> hello on both paths',
      '* bob waves back',
      '<alice> said as the relay died',
      '<bob> over the LAN only',
      '* alice is still here',
      '<alice> after the return',
    ])
      assert.equal(count(history, line), 1, `${line} once in the history:\n${history.join('\n')}`);

    const bobSaw = bob.stdout.items;
    for (const line of [
      '<alice> hello on both paths',
      '<alice> said as the relay died',
      '* alice is still here',
      '<alice> after the return',
    ])
      assert.equal(count(bobSaw, line), 1, `bob printed ${line} once:\n${bobSaw.join('\n')}`);
    const aliceSaw = alice.stdout.items;
    for (const line of ['* bob waves back', '<bob> over the LAN only'])
      assert.equal(count(aliceSaw, line), 1, `alice printed ${line} once:\n${aliceSaw.join('\n')}`);
    // Our own lines come back by neither path.
    assert.ok(!aliceSaw.some((line) => line.startsWith('<alice>')), aliceSaw.join('\n'));

    alice.endInput();
    bob.endInput();
    assert.equal((await alice.waitForExit()).code, 0);
    assert.equal((await bob.waitForExit()).code, 0);
  });

  test('a line for another room never goes on the LAN; lobby lines said meanwhile reach the lobby', async (t) => {
    const db = dir.file('rooms');
    const relay = await relayOn(t, db);
    const group = freshGroup();
    const alice = dualChat(t, 'alice', relay.port, group);
    // A LAN peer with no relay hears everything the group carries; carol, on the relay only, is in #rust.
    const lena = CliProcess.cli(
      ['chat', 'lena', '--multicast', groupText(group), '--interface', LOOPBACK, '--ttl', '0'],
      { name: 'lena' },
    );
    t.after(() => lena.stop());
    const carol = relayOnly(t, 'carol', relay.port);
    await alice.waitForLine('*** welcome, alice ***');
    await lena.waitForLine(/chatting on/, { stream: 'stderr' });
    carol.writeLine('/join #rust');
    await carol.waitForLine(/you joined #rust/);

    // The line right behind the /join is for #rust, though the relay has not confirmed the room yet.
    alice.writeLine('/join #rust');
    alice.writeLine('for rust only');
    await carol.waitForLine('[#rust] <alice> for rust only');
    alice.writeLine('/switch #lobby');
    alice.writeLine('back in the lobby');
    await lena.waitForLine('<alice> back in the lobby', { timeoutMs: 10_000 });
    // The relay talks to alice in #rust when it dies.
    alice.writeLine('/switch #rust');
    alice.writeLine('rust before the end');
    await carol.waitForLine('[#rust] <alice> rust before the end');

    process.kill(relay.process.pid as number, 'SIGKILL');
    await relay.process.exited;
    await alice.waitForLine(/^\*\*\* relay lost: /, { timeoutMs: LOST_MS });
    // While the relay is lost a switch is refused at once, and so is the line for the room switched to.
    alice.writeLine('for rust while lost');
    await alice.waitForLine(/the relay is lost: a line outside the lobby needs it/, { stream: 'stderr' });
    alice.writeLine('/switch #lobby');
    alice.writeLine('lobby while lost');
    await lena.waitForLine('<alice> lobby while lost', { timeoutMs: 10_000 });
    const heard = lena.stdout.items.filter((line) => line.startsWith('<alice>'));
    assert.deepEqual(heard, ['<alice> back in the lobby', '<alice> lobby while lost']);

    // Back, the relay still has alice in #rust: the lobby line said meanwhile goes to the lobby all the same.
    const second = await relayOn(t, db, relay.port);
    // The line said while it was lost, and any whose acknowledgement the dying relay never sent.
    await alice.waitForLine(
      /^\*\*\* relay back: lobby lines go on both paths; \d+ lines? said meanwhile sent/,
      {
        timeoutMs: BACK_MS,
      },
    );
    const dave = relayOnly(t, 'dave', second.port);
    await dave.waitForLine('*** welcome, dave ***');
    dave.writeLine('/history #lobby 50');
    await dave.waitForLine(/^\[history #lobby end\]/);
    const lobby = dave.stdout.items.filter(
      (line) => line.startsWith('[history #lobby ') && line.includes('<alice>'),
    );
    const said = lobby.map((line) => line.replace(/^\[history #lobby [^\]]*\] /, ''));
    // Once each, even when the relay died after keeping 'back in the lobby' but before acknowledging it.
    assert.deepEqual(said, ['<alice> back in the lobby', '<alice> lobby while lost']);
    assert.ok(
      !carol.stdout.items.some((line) => line.includes('lobby while lost') && line.startsWith('[#rust]')),
    );
  });

  test('a line the relay kept but never acknowledged is not said again when it is back', async (t) => {
    const db = dir.file('kept');
    const first = await relayOn(t, db);
    // Alice reaches the relay through a forwarder: the relay's acknowledgement can be withheld.
    const forwarder = await UdpForwarder.start(first.port);
    t.after(() => forwarder.close());
    const alice = dualChat(t, 'alice', forwarder.port, freshGroup());
    const carol = relayOnly(t, 'carol', first.port);
    await alice.waitForLine('*** welcome, alice ***');
    await carol.waitForLine('*** welcome, carol ***');
    // Alice learns a lobby id, so her gap fill asks for what came after it.
    carol.writeLine('carol was here');
    await alice.waitForLine('<carol> carol was here');
    alice.writeLine('before the cut');
    await carol.waitForLine('<alice> before the cut');

    // From here nothing of the relay's reaches alice: the line is stored, its acknowledgement lost.
    forwarder.passToClient = false;
    alice.writeLine('kept but never acknowledged');
    await carol.waitForLine('<alice> kept but never acknowledged');
    // A history read commits what waits first: the line is in the file before the relay dies.
    carol.writeLine('/history #lobby 5');
    await carol.waitForLine(/^\[history #lobby [^\]]*\] <alice> kept but never acknowledged$/);
    await alice.waitForLine(/^\*\*\* relay lost: /, { timeoutMs: LOST_MS });
    alice.writeLine('said while it was away');
    carol.endInput();
    await carol.waitForExit();
    process.kill(first.process.pid as number, 'SIGKILL');
    await first.process.exited;

    // Restarted on its file; a relay-only listener is in before alice can reach it again.
    forwarder.passToRelay = false;
    const second = await relayOn(t, db, first.port);
    const erin = relayOnly(t, 'erin', second.port);
    await erin.waitForLine('*** welcome, erin ***');
    forwarder.passToClient = true;
    forwarder.passToRelay = true;
    await alice.waitForLine(
      /^\*\*\* relay back: lobby lines go on both paths; 1 line said meanwhile sent to it; \d+ lines? it had kept not sent again \*\*\*$/,
      { timeoutMs: BACK_MS },
    );
    alice.writeLine('after the return');
    await erin.waitForLine('<alice> after the return');
    const live = erin.stdout.items;
    assert.equal(count(live, '<alice> kept but never acknowledged'), 0, live.join('\n'));
    assert.equal(count(live, '<alice> before the cut'), 0, live.join('\n'));
    assert.equal(count(live, '<alice> said while it was away'), 1, live.join('\n'));

    const dave = relayOnly(t, 'dave', second.port);
    await dave.waitForLine('*** welcome, dave ***');
    dave.writeLine('/history #lobby 50');
    await dave.waitForLine(/^\[history #lobby end\]/);
    const history = dave.stdout.items
      .filter((line) => line.startsWith('[history #lobby ') && line.includes('<alice>'))
      .map((line) => line.replace(/^\[history #lobby [^\]]*\] /, ''));
    assert.deepEqual(
      history,
      [
        '<alice> before the cut',
        '<alice> kept but never acknowledged',
        '<alice> said while it was away',
        '<alice> after the return',
      ],
      `dave:\n${dave.stdout.items.join('\n')}\nalice:\n${alice.stdout.items.join('\n')}`,
    );

    alice.endInput();
    assert.equal((await alice.waitForExit()).code, 0);
  });
});
