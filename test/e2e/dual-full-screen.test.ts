/**
 * Two full-screen clients on the dual path (`chat --relay H:P --multicast G:P`) in real terminals (tmux),
 * on loopback multicast, with a relay on its --db file: what a user sees when the relay is killed (the
 * status bar says "relay lost — LAN only" and the lobby goes on) and when it comes back (the status bar
 * says connected again, with the LAN beside it), and that no line is on a screen twice.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { freshGroup, groupText, LOOPBACK } from '../support/multicast-group.ts';
import { CLI_ENTRY, CliProcess } from './support/cli-process.ts';
import { type TmuxPane, TmuxServer, tmuxAvailable } from './support/tmux.ts';

const skip = (await tmuxAvailable()) ? false : 'tmux is not installed';

/** The dead relay shows within a few seconds; its return within a reconnect try (at most 5 s apart). */
const CHANGE_MS = 25_000;

function statusBar(rows: readonly string[]): string {
  return rows.filter((row) => row !== '').at(-2) ?? '';
}

async function relayOn(t: TestContext, db: string, port = 0): Promise<{ process: CliProcess; port: number }> {
  const relay = CliProcess.cli(['relay', '--host', LOOPBACK, '--port', String(port), '--db', db], {
    name: 'relay',
  });
  t.after(() => relay.stop());
  const line = await relay.waitForLine(/^relay listening on udp\/\d+$/, { timeoutMs: 10_000 });
  return { process: relay, port: Number(line.split('/')[1]) };
}

/** Rows of the message area holding `text`. */
function rowsWith(rows: readonly string[], text: string): number {
  return rows.filter((row) => row.includes(text)).length;
}

describe('the full-screen client on the dual path', { skip }, () => {
  it('keeps chatting over the LAN when the relay is killed, says so, and shows nothing twice', async (t) => {
    const server = new TmuxServer();
    const home = await mkdtemp(join(tmpdir(), 'udpchat-dual-tui-'));
    t.after(async () => {
      await server.kill();
      await rm(home, { recursive: true, force: true });
    });
    const relay = await relayOn(t, join(home, 'relay.db'));
    const group = groupText(freshGroup());
    const open = (nick: string): Promise<TmuxPane> =>
      server.start({
        command: [
          process.execPath,
          CLI_ENTRY,
          'chat',
          nick,
          '--relay',
          `${LOOPBACK}:${relay.port}`,
          '--multicast',
          group,
          '--interface',
          LOOPBACK,
          '--ttl',
          '0',
        ],
        env: { XDG_CONFIG_HOME: home, TERM: 'xterm-256color' },
        columns: 110,
        rows: 30,
      });
    const alice = await open('alice');
    const bob = await open('bob');
    const bothPaths = /\[connected [0-9.]+ ms, LAN 1 peer\]/;
    await alice.waitFor((rows) => bothPaths.test(statusBar(rows)), CHANGE_MS);
    await bob.waitFor((rows) => bothPaths.test(statusBar(rows)), CHANGE_MS);

    await alice.line('hello over both');
    await bob.waitFor(/<alice> hello over both/);

    process.kill(relay.process.pid as number, 'SIGKILL');
    await relay.process.exited;
    const lost = /\[relay lost — LAN only, 1 LAN peer\]/;
    await alice.waitFor((rows) => lost.test(statusBar(rows)), CHANGE_MS);
    await bob.waitFor((rows) => lost.test(statusBar(rows)), CHANGE_MS);
    await bob.waitFor(/relay lost: lobby lines go on over the LAN/);
    await bob.line('only the LAN carries this');
    await alice.waitFor(/<bob> only the LAN carries this/);

    await relayOn(t, join(home, 'relay.db'), relay.port);
    await alice.waitFor((rows) => bothPaths.test(statusBar(rows)), CHANGE_MS);
    await bob.waitFor((rows) => bothPaths.test(statusBar(rows)), CHANGE_MS);
    await bob.waitFor(/relay back: lobby lines go on both paths; 1 line said meanwhile sent to it/);
    await alice.line('and both again');
    const seen = await bob.waitFor(/<alice> and both again/);
    assert.equal(rowsWith(seen, 'hello over both'), 1, seen.join('\n'));
    // Bob's line was said to the relay again; a private line behind it (relay only, in order) shows in
    // alice's status bar once the relay's copy has reached her, and her lobby still shows the line once.
    await bob.line('/msg alice in sync');
    await alice.waitFor((rows) => /Act: /.test(statusBar(rows)));
    const aliceRows = await alice.capture();
    assert.equal(rowsWith(aliceRows, 'only the LAN carries this'), 1, aliceRows.join('\n'));
    await alice.line('/quit');
    await bob.line('/quit');
  });
});
