/**
 * Failover as a user sees it: the full-screen client in a real terminal (tmux), given two relay processes
 * that share a resumption key (`--relay A,B`). Relay A is killed with SIGKILL; the screen says that A was
 * lost and the session resumed on B, the status bar names B, and what alice types next reaches bob there.
 * Run `npm run build` first by hand.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { ChatClient } from '../../src/client-host/chat-client.ts';
import { CLI_ENTRY, CliProcess } from './support/cli-process.ts';
import { Collector } from './support/collector.ts';
import { TmuxServer, tmuxAvailable } from './support/tmux.ts';

const skip = (await tmuxAvailable()) ? false : 'tmux is not installed';
const KEY = randomBytes(32).toString('hex');

async function keyedRelay(t: TestContext, name: string): Promise<{ process: CliProcess; port: number }> {
  const relay = CliProcess.spawn(process.execPath, ['--import', 'tsx', 'test/e2e/support/keyed-relay.ts'], {
    name,
    env: { ...process.env, UDPCHAT_TEST_RESUMPTION_KEY: KEY },
  });
  t.after(() => relay.stop());
  const line = await relay.waitForLine(/^relay listening on udp\/\d+$/, { timeoutMs: 15_000 });
  return { process: relay, port: Number(line.split('/')[1]) };
}

describe('failover in the full-screen client', { skip }, () => {
  test('relay A killed: the screen says it resumed on B, and the chat goes on there', async (t) => {
    const a = await keyedRelay(t, 'relay A');
    const b = await keyedRelay(t, 'relay B');
    const server = new TmuxServer();
    const configHome = await mkdtemp(join(tmpdir(), 'udpchat-failover-'));
    t.after(async () => {
      await server.kill();
      await rm(configHome, { recursive: true, force: true });
    });
    const relays = `127.0.0.1:${a.port},127.0.0.1:${b.port}`;
    const alice = await server.start({
      command: [process.execPath, CLI_ENTRY, 'chat', 'alice', '--relay', relays],
      env: { XDG_CONFIG_HOME: configHome, TERM: 'xterm-256color' },
      columns: 110,
      rows: 30,
    });
    await alice.waitFor(new RegExp(`\\[alice\\] \\[127\\.0\\.0\\.1:${a.port}\\] .*\\[connected`));
    await alice.line('/join #ops');
    await alice.waitFor(/you joined #ops; now talking in #ops/);

    const bob = await ChatClient.connect({ nick: 'bob', host: '127.0.0.1', port: b.port, protocol: 'v2' });
    t.after(() => bob.close());
    const heard = new Collector<string>('bob heard');
    bob.on('chat', (e) => heard.push(`${e.room ?? ''} ${e.nick}: ${e.text}`));
    const welcomed = new Promise<void>((resolve) => bob.on('welcome', () => resolve()));
    await welcomed;
    bob.joinRoom('#ops');

    a.process.kill('SIGKILL');
    const screen = await alice.waitFor(
      new RegExp(`relay 127\\.0\\.0\\.1:${a.port} lost — resumed on 127\\.0\\.0\\.1:${b.port} as alice`),
    );
    const status = screen.filter((row) => row !== '').at(-2) ?? '';
    assert.match(status, new RegExp(`\\[127\\.0\\.0\\.1:${b.port}\\]`), status);
    await alice.line('still here after the move');
    await heard.waitFor((line) => line === '#ops alice: still here after the move', { timeoutMs: 5_000 });
    await bob.leave();
  });
});
