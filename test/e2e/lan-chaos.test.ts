/**
 * `udpchat chat --multicast` line filters behind `udpchat chaos --multicast`, all real processes on
 * loopback multicast (IP_MULTICAST_IF 127.0.0.1, TTL 0). The peers send to one group and hear another
 * (`--listen-group`): the proxy joins the first and sends each datagram, faulted, to the second, so what a
 * peer hears is only the proxy's copies. Each receiver's --trace shows what really arrived, so the test
 * knows the duplicates, reorderings and losses it is checking were there.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { freshGroup, groupText, LOOPBACK } from '../support/multicast-group.ts';
import { CliProcess } from './support/cli-process.ts';
import type { Collector } from './support/collector.ts';

/** A sender is heard at its first or second announcement (at start, 1 s later, then every 5 s). */
const HEARD_MS = 15_000;
/** A lost last line shows at the sender's next periodic announcement (5 s), itself perhaps lost. */
const ACCOUNTED_MS = 30_000;
/** The relay's flood-control burst is 10 lines; a round stays under it. */
const LINES_PER_ROUND = 8;

/** One LAN datagram in a --trace: `in  127.0.0.1:41000 36B lan s=1d0d114ac7ac76be #3 LINE 2 alice "a3"`. */
const TRACED = /^(in|out) +\S+ \d+B lan s=[0-9a-f]+ #\d+ ([A-Z]+) (\d+) (\S+)/;

interface Traced {
  readonly direction: 'in' | 'out';
  readonly kind: string;
  readonly lineNumber: number;
  readonly nick: string;
}

function traced(line: string): Traced | null {
  const match = TRACED.exec(line);
  if (match === null) return null;
  const [, direction, kind = '', lineNumber = '', nick = ''] = match;
  return { direction: direction === 'in' ? 'in' : 'out', kind, lineNumber: Number(lineNumber), nick };
}

/** Line numbers of `nick`'s LINE datagrams in a trace, in the order they came in (or went out). */
function lineArrivals(trace: Collector<string>, nick: string, direction: 'in' | 'out' = 'in'): number[] {
  return trace.items
    .map(traced)
    .filter(
      (d): d is Traced => d !== null && d.direction === direction && d.kind === 'LINE' && d.nick === nick,
    )
    .map((d) => d.lineNumber);
}

/** The copies the proxy planned for `nick`'s lines: each traced datagram in, then its fault decision. */
function plannedCopies(proxyTrace: Collector<string>, nick: string): { lines: number; copies: number } {
  let lines = 0;
  let copies = 0;
  proxyTrace.items.forEach((line, index) => {
    const datagram = traced(line);
    if (datagram?.direction !== 'in' || datagram.kind !== 'LINE' || datagram.nick !== nick) return;
    const decision = proxyTrace.items[index + 1];
    if (decision === undefined) return; // its decision line has not been read yet
    assert.match(decision, /^fault multicast /, 'a decision follows each datagram the proxy hears');
    lines += 1;
    copies += decision.endsWith(' drop') ? 0 : (decision.match(/\d+ms/g) ?? []).length;
  });
  return { lines, copies };
}

function until(collector: Collector<string>, condition: () => boolean, what: string, timeoutMs: number) {
  return collector.waitFor(() => condition(), { what, timeoutMs });
}

async function chaos(t: TestContext, heard: Address, target: Address, faults: readonly string[]) {
  const proxy = CliProcess.cli(
    [
      'chaos',
      '--multicast',
      groupText(heard),
      '--to',
      groupText(target),
      '--interface',
      LOOPBACK,
      '--ttl',
      '0',
      '--trace',
      ...faults,
    ],
    { name: 'chaos' },
  );
  t.after(() => proxy.stop());
  await proxy.waitForLine(`chaos listening on multicast ${groupText(heard)} -> ${groupText(target)}`);
  return proxy;
}

async function peer(t: TestContext, nick: string, sendTo: Address, hear: Address): Promise<CliProcess> {
  const child = CliProcess.cli(
    [
      'chat',
      nick,
      '--multicast',
      groupText(sendTo),
      '--listen-group',
      groupText(hear),
      '--interface',
      LOOPBACK,
      '--ttl',
      '0',
      '--trace',
    ],
    { name: nick },
  );
  t.after(() => child.stop());
  await child.waitForLine(`udpchat: chatting on ${groupText(sendTo)} as ${nick} (no relay)`, {
    stream: 'stderr',
  });
  return child;
}

function groups(): [Address, Address] {
  const heard = freshGroup();
  return [heard, { host: heard.host, port: heard.port + 1 }];
}

/** Lines of `nick` shown on `child`'s stdout, without the `<nick> ` prefix. */
function shown(child: CliProcess, nick: string): string[] {
  const prefix = `<${nick}> `;
  return child.stdout.items
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

/** Lines reported lost from `nick` on `child`'s stdout ("*** 2 lines from alice lost ***"). */
function reportedLost(child: CliProcess, nick: string): number {
  const pattern = new RegExp(`^\\*\\*\\* (\\d+) lines? from ${nick} lost \\*\\*\\*$`);
  return child.stdout.items.reduce((sum, line) => sum + Number(pattern.exec(line)?.[1] ?? 0), 0);
}

/**
 * The trace (stderr) and the chat (stdout) are two pipes: a line shown just after a traced datagram may not
 * have been read yet. /who answers on stdout after everything printed before it.
 */
async function everythingPrinted(child: CliProcess): Promise<void> {
  const from = child.stdout.items.length;
  child.writeLine('/who');
  await child.stdout.waitFor((line) => /^\*\*\* \d+ in /.test(line), { from, what: 'the /who answer' });
}

/** SIGINT: the proxy prints its summary line and exits 0. */
async function stopProxy(proxy: CliProcess): Promise<string> {
  assert.ok(proxy.pid !== undefined);
  process.kill(proxy.pid, 'SIGINT');
  assert.equal((await proxy.waitForExit()).code, 0);
  return proxy.waitForLine(/^chaos summary: /);
}

function hasRepeat(numbers: readonly number[]): boolean {
  return new Set(numbers).size < numbers.length;
}

function hasInversion(numbers: readonly number[]): boolean {
  return numbers.some((n, i) => numbers.slice(0, i).some((earlier) => earlier > n));
}

describe('chat --multicast behind chaos --multicast', () => {
  it('duplicated and reordered: every line is shown once and in order, nothing reported lost', async (t) => {
    const [heard, target] = groups();
    const proxy = await chaos(t, heard, target, ['--dup', '50%', '--reorder', '50%', '--jitter', '10ms']);
    const bob = await peer(t, 'bob', heard, target);
    const alice = await peer(t, 'alice', heard, target);
    const carol = await peer(t, 'carol', heard, target);
    const senders = [alice, carol];
    const nicks = ['alice', 'carol'] as const;
    const sent = nicks.map((nick) => Array.from({ length: LINES_PER_ROUND }, (_, i) => `${nick[0]}${i + 1}`));
    // Each burst leaves within a millisecond or two, so a held copy is overtaken by the lines after it.
    senders.forEach((sender, i) => {
      for (const line of sent[i] ?? []) sender.writeLine(line);
    });

    for (const nick of nicks) {
      await until(
        proxy.stderr,
        () => plannedCopies(proxy.stderr, nick).lines === LINES_PER_ROUND,
        `the proxy's decisions on ${nick}'s lines`,
        5_000,
      );
      // Every copy the proxy planned has come in before anything is judged: a late duplicate counts too.
      const { copies } = plannedCopies(proxy.stderr, nick);
      await until(
        bob.stderr,
        () => lineArrivals(bob.stderr, nick).length === copies,
        `${copies} copies`,
        5_000,
      );
    }

    await everythingPrinted(bob);
    for (const [i, nick] of nicks.entries())
      assert.deepEqual(shown(bob, nick), sent[i], bob.stdout.items.join('\n'));
    assert.ok(!bob.stdout.items.some((line) => line.includes(' lost ')), bob.stdout.items.join('\n'));
    // The faults really reached the receiver: some line came twice, some came after a later one.
    const arrivals = nicks.map((nick) => lineArrivals(bob.stderr, nick));
    assert.ok(arrivals.some(hasRepeat), `no duplicate arrived: ${JSON.stringify(arrivals)}`);
    assert.ok(arrivals.some(hasInversion), `nothing arrived out of order: ${JSON.stringify(arrivals)}`);
    // The senders hear each other through the proxy too, once and in order.
    await alice.waitForLine(`<carol> c${LINES_PER_ROUND}`);
    assert.deepEqual(shown(alice, 'carol'), sent[1]);

    const summary = await stopProxy(proxy);
    assert.match(summary, /^chaos summary: multicast received=\d+ forwarded=\d+ dropped=0 duplicated=[1-9]/);
  });

  it('lossy: the lines that arrive are shown in order, and exactly the others are reported lost', async (t) => {
    const [heard, target] = groups();
    const proxy = await chaos(t, heard, target, ['--loss', '20%']);
    const bob = await peer(t, 'bob', heard, target);
    const senders = [
      { nick: 'alice', child: await peer(t, 'alice', heard, target), sent: [] as string[] },
      { nick: 'carol', child: await peer(t, 'carol', heard, target), sent: [] as string[] },
    ];
    // Bob hears each sender before its lines, so a loss among them is a gap, not the start of its stream.
    for (const { nick } of senders)
      await until(
        bob.stderr,
        () => bob.stderr.items.some((line) => traced(line)?.nick === nick),
        nick,
        HEARD_MS,
      );

    // A round of lines from each sender; another (at most three in all) only if this one lost nothing.
    for (let round = 1; round <= 3; round++) {
      for (const sender of senders) {
        const lines = Array.from({ length: LINES_PER_ROUND }, (_, i) => `${sender.nick[0]}${round}.${i + 1}`);
        for (const line of lines) sender.child.writeLine(line);
        sender.sent.push(...lines);
      }
      for (const { nick, sent } of senders)
        await until(
          bob.stdout,
          () => shown(bob, nick).length + reportedLost(bob, nick) === sent.length,
          `every line of ${nick} shown or reported lost`,
          ACCOUNTED_MS,
        );
      if (senders.some(({ nick }) => reportedLost(bob, nick) > 0)) break;
      // Before the next burst, the senders' flood-control allowance refills: wait for their second
      // announcement after this round (they come every 5 s), as each sender's own trace shows.
      for (const { nick, child, sent } of senders) {
        const from = child.stderr.items.length;
        const announced = () =>
          child.stderr.items
            .slice(from)
            .map(traced)
            .filter((d) => d?.direction === 'out' && d.kind === 'ANNOUNCE' && d.nick === nick).length >= 2;
        await until(child.stderr, announced, `${nick}'s announcements`, HEARD_MS);
        assert.equal(lineArrivals(child.stderr, nick, 'out').length, sent.length, 'no line was refused');
      }
    }

    await everythingPrinted(bob);
    for (const { nick, sent } of senders) {
      const arrived = new Set(lineArrivals(bob.stderr, nick));
      const lines = shown(bob, nick);
      // In order and once: what is shown is the sent lines that arrived, as they were sent.
      assert.deepEqual(
        lines,
        sent.filter((_, lineNumber) => arrived.has(lineNumber)),
        bob.stdout.items.join('\n'),
      );
      assert.equal(reportedLost(bob, nick), sent.length - arrived.size);
    }
    assert.ok(
      senders.some(({ nick }) => reportedLost(bob, nick) > 0),
      `no gap report in three rounds: ${bob.stdout.items.join('\n')}`,
    );
    assert.ok(
      bob.stdout.items.some((line) => /^\*\*\* \d+ lines? from (alice|carol) lost \*\*\*$/.test(line)),
    );
    assert.match(
      await stopProxy(proxy),
      /^chaos summary: multicast received=\d+ forwarded=\d+ dropped=[1-9]/,
    );
  });
});
