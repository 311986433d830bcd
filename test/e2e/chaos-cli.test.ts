import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ExclusiveSocket } from '../chaos/exclusive-socket.ts';
import { Recorder } from '../chaos/recorder.ts';

/** The built CLI: `npm test` runs `npm run build` first. */
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const WAIT_MS = 5_000;

interface Cli {
  readonly child: ChildProcess;
  readonly stdout: Recorder<string>;
  readonly exit: Promise<number | null>;
  stderr: string;
}

const children: ChildProcess[] = [];
after(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function runCli(args: string[]): Cli {
  assert.ok(existsSync(MAIN), `${MAIN} is missing: run "npm run build" first`);
  const child = spawn(process.execPath, [MAIN, 'chaos', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const cli: Cli = { child, stdout: new Recorder<string>(WAIT_MS), exit: exitCode(child), stderr: '' };
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) cli.stdout.push(line);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    cli.stderr += chunk;
  });
  return cli;
}

/** 'close', not 'exit': it comes after stdout and stderr have been read to the end. */
function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the CLI did not exit in time')), WAIT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('udpchat chaos, the real CLI', () => {
  it('listens, forwards a datagram both ways, and on SIGINT prints its summary and exits 0', async () => {
    const server = await ExclusiveSocket.bind();
    const client = await ExclusiveSocket.bind();
    try {
      server.onDatagram((from, bytes) => server.send(from, bytes));
      const echoes = new Recorder<string>(WAIT_MS);
      client.onDatagram((_from, bytes) => echoes.push(new TextDecoder().decode(bytes)));
      const to = `127.0.0.1:${server.local.port}`;
      const cli = runCli(['--listen', '0', '--listen-host', '127.0.0.1', '--to', to, '--seed', '7']);
      await cli.stdout.waitFor(1, 'listening line');
      const match = /^chaos listening on udp\/(\d+) -> (\S+)$/.exec(cli.stdout.items[0] ?? '');
      assert.ok(match, `unexpected first line: ${cli.stdout.items[0]}`);
      assert.equal(match[2], to);
      client.send({ host: '127.0.0.1', port: Number(match[1]) }, new TextEncoder().encode('hello\n'));
      await echoes.waitFor(1, 'echo through the proxy');
      assert.deepEqual(echoes.items, ['hello\n']);
      cli.child.kill('SIGINT');
      assert.equal(await cli.exit, 0, cli.stderr);
      assert.deepEqual(cli.stdout.items.slice(1), [
        'chaos summary: up received=1 forwarded=1 dropped=0 duplicated=0 reordered=0; ' +
          'down received=1 forwarded=1 dropped=0 duplicated=0 reordered=0; ' +
          'mappings opened=1 expired=0 failed=0 refused=0; seed=7',
      ]);
    } finally {
      await Promise.all([server.close(), client.close()]);
    }
  });

  it('a bad value is a one-line usage error with exit code 2', async () => {
    const cli = runCli(['--listen', '0', '--to', '127.0.0.1:9999', '--loss', '5']);
    assert.equal(await cli.exit, 2);
    assert.equal(
      cli.stderr,
      'udpchat chaos: --loss as a fraction must be between 0 and 1 (did you mean 5%?)\n',
    );
  });

  it('--multicast with a unicast flag, or --to the same group, is a one-line usage error', async () => {
    for (const [args, message] of [
      [
        ['--multicast', '239.255.9.9:9999', '--to', '239.255.9.9:9998', '--listen', '0'],
        /--listen does not go with --multicast/,
      ],
      [
        ['--multicast', '239.255.9.9:9999', '--to', '239.255.9.9:9999'],
        /--to must be another group or port than --multicast/,
      ],
      [['--listen', '0', '--to', '127.0.0.1:9999', '--ttl', '0'], /--ttl needs --multicast/],
    ] as const) {
      const cli = runCli([...args]);
      assert.equal(await cli.exit, 2, args.join(' '));
      assert.match(cli.stderr, new RegExp(`^udpchat chaos: ${message.source}`));
      assert.equal(cli.stderr.split('\n').length, 2, cli.stderr);
    }
  });

  it('a missing --to is a usage error too', async () => {
    const cli = runCli(['--listen', '0']);
    assert.equal(await cli.exit, 2);
    assert.match(cli.stderr, /^udpchat chaos: --to HOST:PORT is required/);
  });

  it('--help describes every flag and exits 0', async () => {
    const cli = runCli(['--help']);
    assert.equal(await cli.exit, 0);
    const help = cli.stdout.items.join('\n');
    const flags =
      '--listen --to --loss --dup --reorder --delay --jitter --seed --mapping-timeout --max-mappings' +
      ' --multicast --interface --ttl';
    for (const flag of flags.split(' ')) assert.ok(help.includes(flag), flag);
  });
});
