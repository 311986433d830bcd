/**
 * Two full-screen clients in two network namespaces joined by a veth pair, chatting with no relay: the
 * datagrams cross a real link between two network stacks, as between two machines on one LAN. The test
 * creates the namespaces (as root) and deletes them in `finally`, whatever happened; it skips, saying
 * why, when it is not root or lacks ip or tmux.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI_ENTRY } from './support/cli-process.ts';
import { type TmuxPane, TmuxServer, tmuxAvailable } from './support/tmux.ts';

function unavailable(): string | false {
  if (process.getuid?.() !== 0) return 'not root: network namespaces need root (run as root to include it)';
  if (spawnSync('ip', ['-V'], { stdio: 'ignore' }).error !== undefined) return 'no ip command (iproute2)';
  return false;
}

const skip = unavailable() || ((await tmuxAvailable()) ? false : 'tmux is not installed');

function ip(...args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${(result.stderr ?? '').trim()}`);
}

interface Lan {
  readonly namespaces: readonly [string, string];
  readonly addresses: readonly [string, string];
}

/** Two namespaces, a veth pair between them, an address on each end; loopback up in both. */
function createLan(tag: string): Lan {
  const namespaces = [`udpchat-lan-${tag}-a`, `udpchat-lan-${tag}-b`] as const;
  const subnet = `10.${randomInt(100, 250)}.${randomInt(0, 250)}`;
  const addresses = [`${subnet}.1`, `${subnet}.2`] as const;
  const links = [`uclA${tag.slice(0, 6)}`, `uclB${tag.slice(0, 6)}`] as const;
  for (const name of namespaces) ip('netns', 'add', name);
  ip(
    'link',
    'add',
    links[0],
    'netns',
    namespaces[0],
    'type',
    'veth',
    'peer',
    'name',
    links[1],
    'netns',
    namespaces[1],
  );
  for (const side of [0, 1] as const) {
    ip('-n', namespaces[side], 'addr', 'add', `${addresses[side]}/24`, 'dev', links[side]);
    ip('-n', namespaces[side], 'link', 'set', links[side], 'up');
    ip('-n', namespaces[side], 'link', 'set', 'lo', 'up');
  }
  return { namespaces, addresses };
}

function deleteLan(tag: string): void {
  // Deleting a namespace deletes the veth end inside it, and with it the pair.
  for (const side of ['a', 'b'])
    spawnSync('ip', ['netns', 'del', `udpchat-lan-${tag}-${side}`], { stdio: 'ignore' });
}

async function exitedWithin(pane: TmuxPane, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pane.exited()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

function statusBar(rows: readonly string[]): string {
  return rows.filter((row) => row !== '').at(-2) ?? '';
}

describe('LAN chat across a real link between two network namespaces', { skip }, () => {
  it('two full-screen clients chat with no relay, see each other arrive and leave', async () => {
    const tag = `${process.pid % 10_000}${randomBytes(2).toString('hex')}`;
    const server = new TmuxServer();
    const configHome = await mkdtemp(join(tmpdir(), 'udpchat-lan-'));
    const group = `239.255.${randomInt(1, 255)}.${randomInt(1, 255)}:${randomInt(20_000, 60_000)}`;
    try {
      const lan = createLan(tag);
      // A namespace has no default route: without --interface the join fails, and the error names the way
      // out with this machine's own address.
      const unrouted = spawnSync(
        'ip',
        [
          'netns',
          'exec',
          lan.namespaces[0],
          process.execPath,
          CLI_ENTRY,
          'chat',
          'alice',
          '--multicast',
          group,
        ],
        { input: '', encoding: 'utf8', timeout: 10_000 },
      );
      assert.equal(unrouted.status, 2, unrouted.stderr);
      assert.match(
        unrouted.stderr,
        new RegExp(`no route for multicast here; .*--interface ${lan.addresses[0].replaceAll('.', '\\.')}`),
      );
      const open = (side: 0 | 1, nick: string): Promise<TmuxPane> =>
        server.start({
          command: [
            'ip',
            'netns',
            'exec',
            lan.namespaces[side],
            process.execPath,
            CLI_ENTRY,
            'chat',
            nick,
            '--multicast',
            group,
            '--interface',
            lan.addresses[side],
          ],
          env: { XDG_CONFIG_HOME: configHome, TERM: 'xterm-256color' },
          columns: 100,
          rows: 30,
        });
      const alice = await open(0, 'alice');
      const bob = await open(1, 'bob');
      await alice.waitFor(/chatting on .* as alice, no relay/);
      await alice.waitFor(/bob joined/, 20_000);
      await bob.waitFor(/alice joined/, 20_000);
      assert.match(
        statusBar(await alice.waitFor((rows) => /1 peer heard/.test(statusBar(rows)))),
        /\[lan 239\./,
      );

      await alice.line('hello across the veth');
      await bob.waitFor(/<alice> hello across the veth/);
      await bob.line('/me waves back');
      await alice.waitFor(/\* bob waves back/);
      await bob.line('/who');
      const who = await bob.waitFor(new RegExp(`alice from ${lan.addresses[0].replaceAll('.', '\\.')}`));
      assert.ok(
        who.some((row) => /bob \(you\)/.test(row)),
        who.join('\n'),
      );

      await bob.line('/quit');
      await alice.waitFor(/bob (quit|left)/);
      await alice.line('/quit');
      assert.ok(await exitedWithin(alice, 5_000), 'alice still running after /quit');
    } finally {
      await server.kill();
      deleteLan(tag);
      await rm(configHome, { recursive: true, force: true });
    }
  });
});
