/**
 * The full-screen client with --multicast in a real terminal (tmux), on loopback multicast, beside a line
 * filter in the same group: what a user sees with no relay (the network-namespace test does the same
 * across a real link, as root).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freshGroup, groupText, LOOPBACK } from '../support/multicast-group.ts';
import { CLI_ENTRY, CliProcess } from './support/cli-process.ts';
import { TmuxServer, tmuxAvailable } from './support/tmux.ts';

const skip = (await tmuxAvailable()) ? false : 'tmux is not installed';

function statusBar(rows: readonly string[]): string {
  return rows.filter((row) => row !== '').at(-2) ?? '';
}

describe('the full-screen client on a multicast group', { skip }, () => {
  it('chats with a line filter, shows who is heard, completes a nick and leaves', async (t) => {
    const server = new TmuxServer();
    const configHome = await mkdtemp(join(tmpdir(), 'udpchat-lan-tui-'));
    t.after(async () => {
      await server.kill();
      await rm(configHome, { recursive: true, force: true });
    });
    const group = groupText(freshGroup());
    const flags = ['--multicast', group, '--interface', LOOPBACK, '--ttl', '0'];
    const alice = await server.start({
      command: [process.execPath, CLI_ENTRY, 'chat', 'alice', ...flags],
      env: { XDG_CONFIG_HOME: configHome, TERM: 'xterm-256color' },
      columns: 100,
      rows: 30,
    });
    const bob = CliProcess.cli(['chat', 'bob', ...flags], { name: 'bob' });
    t.after(() => bob.stop());

    await alice.waitFor((rows) => /\[alice\] \[lan 239\.255\.[0-9.]+:\d+\]/.test(statusBar(rows)));
    await alice.waitFor((rows) => /1 peer heard/.test(statusBar(rows)), 20_000);
    await bob.waitForLine('*** alice joined ***', { timeoutMs: 20_000 });

    bob.writeLine('hello alice, from a pipe');
    await alice.waitFor(/<bob> hello alice, from a pipe/);
    // Tab completes a nick heard in the group, with ": " at the start of a line.
    await alice.type('bo');
    await alice.press('Tab');
    await alice.waitFor(/\] bob:\s*$/);
    await alice.line('hi!');
    await bob.waitForLine('<alice> bob: hi!');
    await alice.line('/me waves');
    await bob.waitForLine('* alice waves');
    await alice.line('/who');
    const who = await alice.waitFor(/bob from 127\.0\.0\.1, heard \d+ s ago/);
    assert.ok(
      who.some((row) => /alice \(you\)/.test(row)),
      who.join('\n'),
    );
    // A refused line stays in the input, with the reason on screen.
    await alice.line('/join #elsewhere');
    await alice.waitFor(/\/join needs a relay: the LAN has no rooms/);
    await alice.waitFor(/\] \/join #elsewhere$/);
    await alice.press('C-u');

    bob.endInput();
    await alice.waitFor(/bob quit/);
    await alice.waitFor((rows) => /no one heard now/.test(statusBar(rows)));
    await alice.line('/quit');
  });
});
