/**
 * Issue 11, items 1 and 3, observed from the path: two real `udpchat chat` processes talk through a real
 * relay, each through an on-path UDP forwarder that records every datagram both ways. No recorded datagram
 * holds any of the random words they said (lobby lines, a private message, their nicks, a /join secret);
 * every datagram after the handshake is sealed wire 3. The relay's and a client's --trace mark each
 * datagram as protected on the wire and show the decrypted content only as that endpoint opened or sealed
 * it, and no trace line carries anything as long as a key or an iv.
 * Run `npm run build` first when running this file by hand.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { CliProcess } from './support/cli-process.ts';
import { startRelay } from './support/relay-process.ts';
import { UdpForwarder } from './support/udp-forwarder.ts';

/** A random word nobody could find by chance in ciphertext. */
const word = (prefix: string): string => `${prefix}${randomBytes(6).toString('hex')}`;

async function forwarder(t: TestContext, port: number): Promise<UdpForwarder> {
  const path = await UdpForwarder.start(port);
  t.after(() => path.close());
  return path;
}

function chat(t: TestContext, nick: string, port: number, config: string): CliProcess {
  const env = { ...process.env, XDG_CONFIG_HOME: config };
  const child = CliProcess.cli(['chat', nick, '127.0.0.1', String(port), '--trace'], { name: nick, env });
  t.after(() => child.stop());
  return child;
}

describe('an on-path observer of protected v2', () => {
  test('finds none of the words two clients said in any datagram; the endpoints’ traces do', async (t) => {
    const config = mkdtempSync(join(tmpdir(), 'udpchat-observer-'));
    t.after(() => rmSync(config, { recursive: true, force: true }));
    const relay = await startRelay(t, ['--trace']);
    const [alice, bob] = [word('a'), word('b')];
    const tokens = [word('lobby'), word('reply'), word('private'), word('action')];
    const pathA = await forwarder(t, relay.port);
    const pathB = await forwarder(t, relay.port);
    const a = chat(t, alice, pathA.port, config);
    const b = chat(t, bob, pathB.port, config);
    await a.waitForLine(`*** welcome, ${alice} ***`);
    await b.waitForLine(`*** welcome, ${bob} ***`);
    a.write(`${tokens[0]}\n`);
    await b.waitForLine(`<${alice}> ${tokens[0]}`);
    b.write(`${tokens[1]}\n`);
    await a.waitForLine(`<${bob}> ${tokens[1]}`);
    a.write(`/msg ${bob} ${tokens[2]}\n`);
    await b.waitForLine((line) => line.includes(tokens[2] ?? '?'));
    b.write(`/me ${tokens[3]}\n`);
    await a.waitForLine((line) => line.includes(tokens[3] ?? '?'));
    a.endInput();
    b.endInput();
    await a.waitForExit();
    await b.waitForExit();

    const recorded = [...pathA.seen.items, ...pathB.seen.items];
    assert.ok(recorded.length >= 16, `${recorded.length} datagrams recorded`);
    for (const secret of [alice, bob, ...tokens]) {
      const hit = recorded.find((d) => Buffer.from(d.bytes).includes(secret));
      assert.equal(hit, undefined, `"${secret}" readable in a ${hit?.bytes.byteLength}-byte datagram`);
    }
    // Everything is wire 3; after the handshake (HELLO, RETRY, ACCEPT) only sealed types travel.
    for (const d of recorded) assert.deepEqual([d.bytes[0], d.bytes[1]], [0xff, 0x03]);
    const sealed = recorded.filter((d) => (d.bytes[2] ?? 0) >= 0x04 && (d.bytes[2] ?? 0) <= 0x07);
    const handshake = recorded.filter((d) => (d.bytes[2] ?? 0) <= 0x03);
    assert.equal(sealed.length + handshake.length, recorded.length);

    // The relay's trace: each wire line marked protected, the content only as the relay opened it.
    await relay.process.stop();
    const trace = relay.process.stderr.items;
    const wireLines = trace.filter((line) => / v2 DATA /.test(line) && /^(in |out)/.test(line));
    assert.ok(wireLines.length > 0 && wireLines.every((line) => line.endsWith('[protected]')));
    assert.ok(
      trace.some((line) => line.startsWith('opened v2 DATA') && line.includes(`LINE 0 "/join ${alice}"`)),
    );
    assert.ok(
      trace.some((line) => line.startsWith('sealed v2 DATA') && line.includes(`<${alice}> ${tokens[0]}"`)),
      trace.filter((line) => line.includes(tokens[0] ?? '?')).join('\n'),
    );
    // Alice's trace shows what she opened: bob's line.
    assert.ok(
      a.stderr.items.some((line) => line.startsWith('opened v2 DATA') && line.includes(tokens[1] ?? '?')),
    );
    // Nothing as long as a key (64 hex digits) or an iv (24) in any trace; nonces and ids are 16.
    for (const line of [...trace, ...a.stderr.items, ...b.stderr.items])
      assert.doesNotMatch(line, /[0-9a-f]{24}/, line);
  });
});
