/**
 * `udpchat chat --multicast` as real processes on loopback multicast (IP_MULTICAST_IF 127.0.0.1, TTL 0):
 * line filters chatting with no relay, presence (arrivals, /who, a leave, a time-out), a group key, and
 * hand-made datagrams injected into the group (duplicated, reordered, some never sent) to see the
 * receiving process show each line once, in order, and report exactly the lines that never came.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, it, type TestContext } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import type { LanKind } from '../../src/protocol/lan/datagram.ts';
import { SENDER_TIMEOUT_MS } from '../../src/protocol/lan/limits.ts';
import { encodeLanDatagram } from '../../src/protocol/lan/wire.ts';
import { freshGroup, groupText, LOOPBACK } from '../support/multicast-group.ts';
import { CliProcess } from './support/cli-process.ts';

/**
 * A newcomer is present on its second datagram, and the peers there answer it with two announcements
 * (about 1.1 s); one that arrives within 2 s of another arrival is not answered and hears them at their
 * next periodic ones (every 5 s, + 10 %), sure of them at the one after.
 */
const PRESENCE_MS = 20_000;

function lanChat(t: TestContext, nick: string, group: Address, extra: readonly string[] = []): CliProcess {
  const child = CliProcess.cli(
    ['chat', nick, '--multicast', groupText(group), '--interface', LOOPBACK, '--ttl', '0', ...extra],
    { name: nick },
  );
  t.after(() => child.stop());
  return child;
}

/** A sender played by the test: it numbers datagrams as a peer does; the test decides what is sent. */
class HandSender {
  private readonly id = new Uint8Array(8).fill(0xd0);
  private sequence = 0;
  private lineNumber = 0;

  constructor(private readonly nick: string) {}

  next(kind: LanKind, text = ''): Uint8Array {
    const encoded = encodeLanDatagram(
      {
        senderId: this.id,
        sequence: this.sequence,
        kind,
        claimedAt: Date.UTC(2026, 0, 1),
        lineNumber: this.lineNumber,
        nick: this.nick,
        text,
      },
      null,
    );
    if (!encoded.ok) throw new Error(encoded.error);
    this.sequence += 1;
    if (kind === 'line') this.lineNumber += 1;
    return encoded.bytes;
  }
}

async function injector(t: TestContext, group: Address): Promise<(bytes: Uint8Array) => Promise<void>> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  socket.setMulticastInterface(LOOPBACK);
  socket.setMulticastTTL(0);
  t.after(() => socket.close());
  return (bytes) =>
    new Promise((resolve, reject) =>
      socket.send(bytes, group.port, group.host, (error) => (error ? reject(error) : resolve())),
    );
}

describe('chat --multicast between real processes', () => {
  it('three line filters chat with no relay: arrivals, lines, /who, a leave and a time-out', async (t) => {
    const group = freshGroup();
    const alice = lanChat(t, 'alice', group);
    const bob = lanChat(t, 'bob', group);
    const carol = lanChat(t, 'carol', group);
    await alice.waitForLine(`udpchat: chatting on ${groupText(group)} as alice (no relay)`, {
      stream: 'stderr',
    });
    for (const [who, others] of [
      [alice, ['bob', 'carol']],
      [bob, ['alice', 'carol']],
      [carol, ['alice', 'bob']],
    ] as const)
      for (const nick of others) await who.waitForLine(`*** ${nick} joined ***`, { timeoutMs: PRESENCE_MS });

    alice.writeLine('hello, LAN');
    await bob.waitForLine('<alice> hello, LAN');
    await carol.waitForLine('<alice> hello, LAN');
    bob.writeLine('/me waves');
    await alice.waitForLine('* bob waves');

    bob.writeLine('/who');
    await bob.waitForLine(`*** 3 in ${groupText(group)} ***`);
    await bob.waitForLine(/^\*\*\* alice from 127\.0\.0\.1, heard \d+ s ago \*\*\*$/);
    await bob.waitForLine('*** bob (you) ***');

    // /quit says goodbye: the others are told at once, not after a time-out.
    carol.writeLine('/quit');
    assert.equal((await carol.waitForExit()).code, 0);
    await alice.waitForLine('*** carol left ***');
    await bob.waitForLine('*** carol left ***');

    // A peer that dies says nothing: it is timed out after three announce periods of silence.
    assert.ok(bob.pid !== undefined);
    process.kill(bob.pid, 'SIGKILL');
    await bob.exited;
    await alice.waitForLine('*** bob timed out ***', { timeoutMs: SENDER_TIMEOUT_MS + 8_000 });
    // Our own looped-back datagrams were never shown as someone else's.
    assert.ok(!alice.stdout.items.some((line) => line.startsWith('<alice>')), alice.stdout.items.join('\n'));

    alice.endInput();
    assert.equal((await alice.waitForExit()).code, 0);
  });

  it('two peers with one nick: every screen shows the same one as nick#abcd', async (t) => {
    const group = freshGroup();
    const first = lanChat(t, 'sam', group);
    await first.waitForLine(/chatting on/, { stream: 'stderr' });
    const second = lanChat(t, 'sam', group);
    const olive = lanChat(t, 'olive', group);
    const loserPattern = /you are shown as (sam#[0-9a-f]{4}) \*\*\*$/;
    const keptPattern = /a second peer with that nick is shown as (sam#[0-9a-f]{4}) \*\*\*$/;
    const fromLoser = (await second.waitForLine(loserPattern, { timeoutMs: PRESENCE_MS })).match(
      loserPattern,
    );
    const fromWinner = (await first.waitForLine(keptPattern, { timeoutMs: PRESENCE_MS })).match(keptPattern);
    const fromOlive = (await olive.waitForLine(keptPattern, { timeoutMs: PRESENCE_MS })).match(keptPattern);
    const shownAs = fromLoser?.[1];
    assert.ok(shownAs !== undefined);
    assert.equal(fromWinner?.[1], shownAs);
    assert.equal(fromOlive?.[1], shownAs);
    second.writeLine('which sam am I?');
    await olive.waitForLine(`<${shownAs}> which sam am I?`);
    await first.waitForLine(`<${shownAs}> which sam am I?`);
  });

  it('shows injected lines once and in order, and reports exactly the lines never sent', async (t) => {
    const group = freshGroup();
    const alice = lanChat(t, 'alice', group);
    await alice.waitForLine(/chatting on/, { stream: 'stderr' });
    const send = await injector(t, group);
    const dave = new HandSender('dave');
    const announce = dave.next('announce');
    const one = dave.next('line', 'one');
    const two = dave.next('line', 'two');
    const three = dave.next('line', 'three');
    dave.next('line', 'lost 1');
    dave.next('line', 'lost 2');
    const six = dave.next('line', 'six');
    // Reordered and duplicated: two before one, every copy twice, two lines never sent at all.
    for (const bytes of [announce, two, one, two, one, announce, three, three, six, six]) await send(bytes);
    await alice.waitForLine('<dave> six');
    await alice.waitForLine('*** 2 lines from dave lost ***');
    const shown = alice.stdout.items.filter((line) => line.startsWith('<dave>'));
    assert.deepEqual(shown, ['<dave> one', '<dave> two', '<dave> three', '<dave> six']);
    const gap = alice.stdout.items.indexOf('*** 2 lines from dave lost ***');
    assert.ok(
      gap > alice.stdout.items.indexOf('<dave> three') && gap < alice.stdout.items.indexOf('<dave> six'),
    );
    // Hostile bytes: not a LAN datagram, a truncated one, an oversized one: dropped, nothing shown.
    for (const bytes of [
      new TextEncoder().encode('<mallory> hi'),
      six.subarray(0, 10),
      new Uint8Array(1_300),
    ])
      await send(bytes);
    // Escape sequences and controls in a line are removed before anything is printed, as from a relay.
    await send(dave.next('line', '\u001b[2J\u001b]0;owned\u0007red\u001b[31m alert\u202e'));
    await alice.waitForLine('<dave> red alert');
    assert.ok(!alice.stdoutText.includes('\u001b'), JSON.stringify(alice.stdoutText));
    alice.writeLine('/who');
    await alice.waitForLine(/^\*\*\* 2 in /);
    assert.ok(!alice.stdout.items.some((line) => line.includes('mallory')));
  });

  it('with --group-key only the passphrase holders read each other; another key is reported', async (t) => {
    const group = freshGroup();
    const alice = lanChat(t, 'alice', group, ['--group-key', 'correct horse']);
    const bob = lanChat(t, 'bob', group, ['--group-key', 'correct horse']);
    const eve = lanChat(t, 'eve', group, ['--group-key', 'wrong horse']);
    await bob.waitForLine('*** alice joined ***', { timeoutMs: PRESENCE_MS });
    alice.writeLine('sealed hello');
    await bob.waitForLine('<alice> sealed hello');
    await eve.waitForLine(/uses another group key/);
    assert.ok(!eve.stdout.items.some((line) => line.includes('sealed hello')));
    assert.ok(!eve.stdout.items.some((line) => line.includes('joined')), eve.stdout.items.join('\n'));
    // The passphrase never appears in what the processes print.
    for (const child of [alice, bob, eve])
      assert.ok(![...child.stdout.items, ...child.stderr.items].some((line) => line.includes('horse')));
  });

  it('refuses a group that is not multicast, relay flags beside --multicast alone, --relay beside --host', async () => {
    for (const [args, message] of [
      [['--multicast', '10.1.2.3:9999'], /--multicast must be an IPv4 multicast group/],
      [['--multicast', '239.1.2.3:9999', '--ttl', '300'], /--ttl must be a whole number from 0 to 255/],
      [['--ttl', '0'], /--ttl needs --multicast/],
      [
        ['--multicast', '239.1.2.3:9999', '--tcp'],
        /--tcp goes with a relay \(--relay H:P for the dual path\)/,
      ],
      [['--relay', '127.0.0.1:9999', '--host', '127.0.0.1'], /--relay HOST:PORT does not go with --host/],
      [['--multicast', '239.1.2.3:9999', '--interface', '10.250.0.9'], /cannot join 239\.1\.2\.3:9999/],
    ] as const) {
      const child = CliProcess.cli(['chat', ...args], { name: args.join(' ') });
      child.endInput();
      const status = await child.waitForExit();
      assert.equal(status.code, 2, args.join(' '));
      await child.waitForLine(message, { stream: 'stderr' });
    }
  });
});
