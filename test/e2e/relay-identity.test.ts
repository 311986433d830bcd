/**
 * Issue 11, item 2, with real processes: the relay keeps its identity in a file of mode 0600 (created on
 * first start, beside --db by default) and prints its fingerprint; a client pins it on first contact in
 * known_relays under its config directory and says so; a relay restarted on the same port with another
 * identity file is refused loudly, with the command that accepts the new key (the impostor test); a
 * --relay-key that does not match is refused; a loose identity file stops the relay.
 * Run `npm run build` first when running this file by hand.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { CliProcess } from './support/cli-process.ts';

const FINGERPRINT = /SHA256:[A-Za-z0-9+/]{43}/;

function scratch(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'udpchat-identity-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Relay {
  readonly process: CliProcess;
  readonly port: number;
  readonly fingerprint: string;
}

async function relay(t: TestContext, args: readonly string[], port = 0): Promise<Relay> {
  const child = CliProcess.cli(['relay', '--host', '127.0.0.1', '--port', String(port), ...args], {
    name: 'relay',
  });
  t.after(() => child.stop());
  const listening = await child.waitForLine(/^relay listening on udp\/\d+$/);
  const identity = await child.waitForLine(/^relay identity SHA256:/);
  const print = FINGERPRINT.exec(identity)?.[0];
  assert.ok(print, identity);
  return { process: child, port: Number(listening.split('/')[1]), fingerprint: print };
}

/** `udpchat chat` as a pipe (stdin not a terminal) with its own config directory. */
function chat(config: string, port: number, extra: readonly string[] = []): CliProcess {
  const env = { ...process.env, XDG_CONFIG_HOME: config };
  return CliProcess.cli(['chat', 'alice', '127.0.0.1', String(port), ...extra], { name: 'alice', env });
}

/**
 * A relay of the retired wire version 2, as far as a new client can tell: it refuses every protected HELLO
 * with wire 2's REJECT 1 (`FF 02 08 nonce 01`) and welcomes a v1 `/join`.
 */
async function wire2Relay(t: TestContext): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, from) => {
    const reply =
      msg[0] === 0xff && msg[2] === 0x01
        ? Buffer.from([0xff, 0x02, 0x08, ...msg.subarray(3, 11), 0x01])
        : msg.toString().startsWith('/join ')
          ? Buffer.from(`*** welcome, ${msg.toString().slice(6).trim()} ***\n`)
          : null;
    if (reply !== null) socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.after(() => socket.close());
  return socket.address().port;
}

describe('relay identity and pinning, end to end', () => {
  test('a wire-2 relay refuses protected v2: the client says it speaks v1 unprotected; pinned, it stops', async (t) => {
    const dir = scratch(t);
    const port = await wire2Relay(t);
    const alice = chat(join(dir, 'config'), port);
    t.after(() => alice.stop());
    await alice.waitForLine('*** welcome, alice ***');
    const notice = await alice.waitForLine(/refused protected v2/, { stream: 'stderr' });
    assert.equal(
      notice,
      `relay 127.0.0.1:${port} refused protected v2 (it speaks wire version 2 only): speaking v1, which is neither encrypted nor authenticated`,
    );
    alice.endInput();
    await alice.waitForExit();
    const pinned = chat(join(dir, 'config'), port, [
      '--relay-key',
      'SHA256:If4x36FUomFia/hUBG/SJxt77UtqvkWqWId+9H+XIbk',
    ]);
    t.after(() => pinned.stop());
    assert.equal((await pinned.waitForExit()).code, 3);
    assert.ok(
      pinned.stderr.items.some((line) =>
        line.includes(`relay at 127.0.0.1:${port} speaks wire version 2 only: upgrade it`),
      ),
      pinned.stderr.items.join('\n'),
    );
    assert.ok(!pinned.stdout.items.some((line) => line.includes('welcome')), 'it never spoke v1');
  });

  test('first contact pins the key in known_relays (mode 0600) and says so; the identity file is 0600', async (t) => {
    const dir = scratch(t);
    const file = join(dir, 'id.pem');
    const r = await relay(t, ['--identity', file]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    const config = join(dir, 'config');
    const alice = chat(config, r.port);
    t.after(() => alice.stop());
    await alice.waitForLine('*** welcome, alice ***');
    const said = await alice.waitForLine(/first contact/, { stream: 'stderr' });
    assert.equal(
      said,
      `relay 127.0.0.1:${r.port} identity ${r.fingerprint} (first contact: pinned in known_relays)`,
    );
    const known = join(config, 'udpchat', 'known_relays');
    assert.equal(readFileSync(known, 'utf8'), `127.0.0.1:${r.port} ${r.fingerprint}\n`);
    assert.equal(statSync(known).mode & 0o777, 0o600);
    alice.endInput();
    assert.deepEqual(await alice.waitForExit(), { code: 0, signal: null });
    // The second contact matches the pin: nothing is said.
    const again = chat(config, r.port);
    t.after(() => again.stop());
    await again.waitForLine('*** welcome, alice ***');
    again.endInput();
    await again.waitForExit();
    assert.ok(!again.stderr.items.some((line) => /identity/.test(line)), again.stderr.items.join('\n'));
  });

  test('an impostor on the same port with another identity file is refused loudly (exit 3), no line sent', async (t) => {
    const dir = scratch(t);
    const config = join(dir, 'config');
    const real = await relay(t, ['--identity', join(dir, 'real.pem')]);
    const first = chat(config, real.port);
    t.after(() => first.stop());
    await first.waitForLine('*** welcome, alice ***');
    first.endInput();
    await first.waitForExit();
    await real.process.stop();
    const impostor = await relay(t, ['--identity', join(dir, 'impostor.pem')], real.port);
    assert.notEqual(impostor.fingerprint, real.fingerprint);
    const alice = chat(config, real.port);
    t.after(() => alice.stop());
    const status = await alice.waitForExit();
    const stderr = alice.stderr.items.join('\n');
    assert.equal(status.code, 3, stderr);
    assert.ok(stderr.includes(`RELAY IDENTITY CHANGED for 127.0.0.1:${real.port}`), stderr);
    assert.ok(stderr.includes(`  pinned:  ${real.fingerprint}`), stderr);
    assert.ok(stderr.includes(`  offered: ${impostor.fingerprint}`), stderr);
    assert.ok(
      stderr.includes(
        `If you trust the new key:  udpchat chat --relay-key ${impostor.fingerprint} --host 127.0.0.1 --port ${real.port}`,
      ),
      stderr,
    );
    assert.ok(!alice.stdout.items.some((line) => line.includes('welcome')), 'never joined');
    // The impostor's relay never saw alice join.
    assert.ok(!impostor.process.stdout.items.some((line) => line.includes('alice')));
    // The command it printed accepts the new key, and replaces the pin.
    const accepted = chat(config, real.port, ['--relay-key', impostor.fingerprint]);
    t.after(() => accepted.stop());
    await accepted.waitForLine('*** welcome, alice ***');
    accepted.endInput();
    await accepted.waitForExit();
    assert.equal(
      readFileSync(join(config, 'udpchat', 'known_relays'), 'utf8'),
      `127.0.0.1:${real.port} ${impostor.fingerprint}\n`,
    );
  });

  test('--relay-key that the relay does not prove is refused; a malformed one is a usage error', async (t) => {
    const dir = scratch(t);
    const r = await relay(t, ['--identity', join(dir, 'id.pem')]);
    const other = 'SHA256:If4x36FUomFia/hUBG/SJxt77UtqvkWqWId+9H+XIbk';
    const wrong = chat(join(dir, 'config'), r.port, ['--relay-key', other]);
    t.after(() => wrong.stop());
    assert.equal((await wrong.waitForExit()).code, 3);
    assert.ok(
      wrong.stderr.items.some((line) => line === `  pinned:  ${other}`),
      wrong.stderr.items.join('\n'),
    );
    const bad = chat(join(dir, 'config'), r.port, ['--relay-key', 'SHA256:nope']);
    assert.equal((await bad.waitForExit()).code, 2);
    assert.match(bad.stderr.items.join('\n'), /--relay-key must be a fingerprint/);
  });

  test('without --identity the file sits beside --db; a loose identity file stops the relay', async (t) => {
    const dir = scratch(t);
    const first = await relay(t, ['--db', join(dir, 'relay.db')]);
    const file = join(dir, 'relay-identity.pem');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    await first.process.stop();
    const second = await relay(t, ['--db', join(dir, 'relay.db')]);
    assert.equal(second.fingerprint, first.fingerprint, 'the same identity after a restart');
    await second.process.stop();
    chmodSync(file, 0o644);
    const loose = CliProcess.cli(['relay', '--port', '0', '--db', join(dir, 'relay.db')], { name: 'loose' });
    t.after(() => loose.stop());
    assert.equal((await loose.waitForExit()).code, 1);
    assert.match(
      loose.stderr.items.join('\n'),
      /relay-identity\.pem: mode 0644 lets others read the private key/,
    );
  });

  test('without --identity or --db the identity is a throwaway, and the relay says so', async (t) => {
    const child = CliProcess.cli(['relay', '--host', '127.0.0.1', '--port', '0'], { name: 'relay' });
    t.after(() => child.stop());
    const line = await child.waitForLine(/^relay identity /);
    assert.match(line, /\(not saved: clients will see a new key after a restart; use --identity FILE\)$/);
  });
});
