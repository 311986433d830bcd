/**
 * Authenticated join end to end: the real CLI as child processes (`udpchat account ...`, `udpchat relay
 * --accounts FILE`) and raw UDP sockets on 127.0.0.1, as an operator and a client would use them.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT_MS = 10_000;
const AUTH_FAILED = '*** authentication failed ***\n';

/**
 * How to run `udpchat`: the built CLI (`npm run build`, as `npm test` does) when it has the account
 * command; else the sources through tsx; else, while src/cli/main.ts cannot load yet (it imports a
 * chat-command.ts still being written elsewhere), a stand-in entry point that dispatches `relay` and
 * `account` exactly as main.ts does, errors and exit codes included.
 */
function cliPrefix(): string[] {
  if (hasAccountCommand('dist/cli/main.js') && existsSync(join(ROOT, 'dist/cli/chat-command.js')))
    return [join(ROOT, 'dist/cli/main.js')];
  if (hasAccountCommand('src/cli/main.ts') && existsSync(join(ROOT, 'src/cli/chat-command.ts')))
    return ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
  return ['--import', 'tsx', '--input-type=module', '-e', standInMain(), '--'];
}

function hasAccountCommand(entry: string): boolean {
  const path = join(ROOT, entry);
  return existsSync(path) && readFileSync(path, 'utf8').includes('account-command');
}

function standInMain(): string {
  const url = (file: string): string => JSON.stringify(pathToFileURL(join(ROOT, 'src/cli', file)).href);
  return `
    const { relayCommand } = await import(${url('relay-command.ts')});
    const { accountCommand } = await import(${url('account-command.ts')});
    const { UsageError } = await import(${url('usage-error.ts')});
    const [name, ...rest] = process.argv.slice(1);
    const command = name === 'relay' ? relayCommand : accountCommand;
    command.run(rest).then(
      (code) => { process.exitCode = code; },
      (error) => {
        const usage = error instanceof UsageError;
        const who = usage && error.command !== undefined ? 'udpchat ' + error.command : 'udpchat';
        process.stderr.write(who + ': ' + error.message + '\\n');
        process.exitCode = usage ? 2 : 1;
      },
    );`;
}

const CLI = cliPrefix();

// --- child processes ---

interface Child {
  readonly process: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

const children: Child[] = [];

function startCli(args: string[], stdin?: string): Child {
  const proc = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: 'pipe' });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const child: Child = { process: proc, stdout: '', stderr: '', exited };
  proc.stdout?.setEncoding('utf8').on('data', (text: string) => {
    child.stdout += text;
  });
  proc.stderr?.setEncoding('utf8').on('data', (text: string) => {
    child.stderr += text;
  });
  if (stdin === undefined) proc.stdin?.end();
  else proc.stdin?.end(stdin);
  children.push(child);
  return child;
}

/** Runs a short command to its end. */
async function runCli(args: string[], stdin?: string): Promise<Child & { code: number | null }> {
  const child = startCli(args, stdin);
  const code = await withTimeout(child.exited, `udpchat ${args.join(' ')} to exit`);
  return Object.assign(child, { code });
}

/** Starts `udpchat relay` on a kernel-chosen port and returns it with that port. */
async function startRelay(extra: string[]): Promise<{ relay: Child; port: number }> {
  const relay = startCli(['relay', '--host', '127.0.0.1', '--port', '0', ...extra]);
  const line = await withTimeout(
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = (): void => {
        const match = /relay listening on udp\/(\d+)/.exec(relay.stdout);
        if (match !== null) resolve(match);
      };
      relay.process.stdout?.on('data', look);
      relay.exited.then((code) => reject(new Error(`relay exited (${code}): ${relay.stderr}`)));
      look();
    }),
    'the relay to listen',
  );
  return { relay, port: Number(line[1]) };
}

async function stopRelay(relay: Child): Promise<void> {
  relay.process.kill('SIGTERM');
  await withTimeout(relay.exited, 'the relay to stop');
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// --- a raw UDP client ---

class RawClient {
  private readonly received: string[] = [];
  private waiting: (() => void) | undefined;

  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (msg) => {
      this.received.push(msg.toString('utf8'));
      this.waiting?.();
    });
  }

  static async open(): Promise<RawClient> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RawClient(socket);
  }

  send(port: number, text: string): void {
    this.socket.send(text, port, '127.0.0.1');
  }

  /** The next datagram, in arrival order. */
  async next(): Promise<string> {
    while (this.received.length === 0) {
      await withTimeout(
        new Promise<void>((resolve) => {
          this.waiting = resolve;
        }),
        'a datagram from the relay',
      );
    }
    return this.received.shift() ?? '';
  }

  close(): void {
    this.socket.close();
  }
}

async function ask(port: number, text: string): Promise<string> {
  const client = await RawClient.open();
  try {
    client.send(port, text);
    return await client.next();
  } finally {
    client.close();
  }
}

// --- the tests ---

let dir = '';
let accounts = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'udpchat-e2e-accounts-'));
  accounts = join(dir, 'accounts.json');
  const added = await runCli(['account', 'add', 'alice', '--accounts', accounts], 'rightsecret\n');
  assert.equal(added.code, 0, added.stderr);
});

after(async () => {
  for (const child of children)
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('udpchat account', () => {
  it('add reads the secret from stdin and writes a 0600 file holding only its hash', async () => {
    const text = await readFile(accounts, 'utf8');
    assert.ok(!text.includes('rightsecret'), 'no plaintext secret in the file');
    assert.equal((await stat(accounts)).mode & 0o777, 0o600);
    const json = JSON.parse(text) as {
      version: number;
      accounts: { nick: string; credential: { algorithm: string } }[];
    };
    assert.equal(json.version, 1);
    assert.equal(json.accounts[0]?.nick, 'alice');
    assert.equal(json.accounts[0]?.credential.algorithm, 'scrypt');
  });

  it('list shows nicks and the operator flag, never a hash', async () => {
    const path = join(dir, 'list.json');
    assert.equal((await runCli(['account', 'add', 'alice', '--accounts', path], 's1\n')).code, 0);
    const op = await runCli(['account', 'add', 'root', '--accounts', path, '--server-operator'], 's2\n');
    assert.equal(op.code, 0, op.stderr);
    const listed = await runCli(['account', 'list', '--accounts', path]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stdout, 'alice\nroot (server operator)\n');
  });

  it('an existing account is replaced only with --force; a look-alike counts as existing', async () => {
    const path = join(dir, 'force.json');
    await runCli(['account', 'add', 'alice', '--accounts', path], 'first\n');
    const before = await readFile(path, 'utf8');
    const refused = await runCli(['account', 'add', 'ALICE', '--accounts', path], 'second\n');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^udpchat: .*already has an account \(--force replaces it\)\n$/);
    assert.equal(await readFile(path, 'utf8'), before, 'the file is untouched');
    const forced = await runCli(['account', 'add', 'alice', '--accounts', path, '--force'], 'second\n');
    assert.equal(forced.code, 0, forced.stderr);
    assert.notEqual(await readFile(path, 'utf8'), before);
  });

  it('an invalid nick is a usage error (exit 2) and writes nothing', async () => {
    const path = join(dir, 'invalid.json');
    const refused = await runCli(['account', 'add', '#room', '--accounts', path], 'x\n');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^udpchat account add: invalid nickname: /);
    assert.equal(existsSync(path), false);
  });

  it('remove deletes the account', async () => {
    const path = join(dir, 'remove.json');
    await runCli(['account', 'add', 'alice', '--accounts', path], 'x\n');
    await runCli(['account', 'add', 'bob', '--accounts', path], 'y\n');
    const removed = await runCli(['account', 'remove', 'alice', '--accounts', path]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await runCli(['account', 'list', '--accounts', path])).stdout, 'bob\n');
  });
});

describe('udpchat relay --accounts FILE', () => {
  it('welcomes the right secret, refuses a wrong one, and --trace never shows either', async () => {
    const { relay, port } = await startRelay(['--accounts', accounts, '--trace']);
    assert.equal(await ask(port, '/join alice wrongsecret\n'), AUTH_FAILED);
    assert.equal(await ask(port, '/join alice\n'), AUTH_FAILED, 'no secret is no better');
    const alice = await RawClient.open();
    alice.send(port, '/join alice rightsecret\n');
    assert.equal(await alice.next(), '*** welcome, alice ***\n');
    alice.close();
    await stopRelay(relay);
    for (const secret of ['rightsecret', 'wrongsecret']) {
      assert.ok(!relay.stderr.includes(secret), `${secret} in the trace`);
      assert.ok(!relay.stdout.includes(secret), `${secret} in the log`);
    }
    assert.match(relay.stderr, /"\/join alice <secret redacted>\\n"/, 'the trace did show the join');
  });

  it('an unregistered nick still joins without a secret', async () => {
    const { relay, port } = await startRelay(['--accounts', accounts]);
    assert.equal(await ask(port, '/join carol\n'), '*** welcome, carol ***\n');
    await stopRelay(relay);
  });

  it('with --registered-only an unregistered nick is refused and a registered one joins', async () => {
    const { relay, port } = await startRelay(['--accounts', accounts, '--registered-only']);
    assert.equal(await ask(port, '/join carol\n'), AUTH_FAILED);
    assert.equal(await ask(port, '/join alice rightsecret\n'), '*** welcome, alice ***\n');
    await stopRelay(relay);
  });

  it('a malformed accounts file stops the relay with one clear line, no stack', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"version": 1, "accounts": [{"nick": "alice"}]}');
    const failed = await runCli(['relay', '--host', '127.0.0.1', '--port', '0', '--accounts', path]);
    assert.equal(failed.code, 1);
    assert.equal(
      failed.stderr,
      `udpchat: accounts file ${path}: accounts[0].serverOperator must be true or false\n`,
    );
    assert.ok(!failed.stdout.includes('listening'), 'it never listened');
  });

  it('--registered-only without --accounts is a usage error', async () => {
    const failed = await runCli(['relay', '--host', '127.0.0.1', '--port', '0', '--registered-only']);
    assert.equal(failed.code, 2);
    assert.equal(failed.stderr, 'udpchat relay: --registered-only needs --accounts FILE or --db FILE\n');
  });
});
