/**
 * Issue 17 against the real relay process: forged REJECTs, from the relay's address as the client sees it
 * (through an on-path forwarder that has read the session id) and from another address, do not end a v2
 * session; a v2 client gone silent is sent CLOSE 1 and announced as timed out; the client follows the
 * ACCEPT's timers, and an idle timeout the field cannot carry is refused at start. Every datagram after
 * the handshake is sealed, so what it carried is read from the client's own note of it.
 * Run `npm run build` first when running this file by hand.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, type TestContext, test } from 'node:test';
import type { ProtectedNote } from '../../src/session/session-link.ts';
import { CliProcess } from './support/cli-process.ts';
import { Collector } from './support/collector.ts';
import { startRelay } from './support/relay-process.ts';
import { UdpForwarder } from './support/udp-forwarder.ts';
import { v2Client } from './support/v2-client.ts';

async function forwarder(t: TestContext, relayPort: number): Promise<UdpForwarder> {
  const forward = await UdpForwarder.start(relayPort);
  t.after(() => forward.close());
  return forward;
}

/** Sends `bytes` to 127.0.0.1:`port` from a socket of its own: another address than the relay's. */
async function sendFromElsewhere(port: number, bytes: Uint8Array): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve, reject) =>
    socket.send(bytes, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
  socket.close();
}

describe('v2 as specified, end to end', () => {
  test('forged REJECTs for an established session, from the relay’s address and from another, change nothing', async (t) => {
    const { port } = await startRelay(t, ['--line-rate', '0']);
    const path = await forwarder(t, port);
    const alice = await v2Client(t, path.port, 'alice');
    const bob = await v2Client(t, port, 'bob');
    alice.client.say('before');
    await bob.events.waitFor((e) => e.type === 'chat' && e.text === 'before');
    // What an on-path observer read: the session id of alice's DATA, in clear at offset 3.
    const data = path.seen.items.find((s) => !s.toClient && s.bytes[2] === 0x04);
    assert.ok(data, 'the forwarder saw a DATA');
    const sessionId = data.bytes.slice(3, 11);
    const forgeries = [0x02, 0x03].flatMap((version) => [
      Uint8Array.from([0xff, version, 0x08, ...sessionId, 0x04]),
      Uint8Array.from([0xff, version, 0x08, ...sessionId, 0x04, ...new Uint8Array(16).fill(0x5a)]),
      Uint8Array.from([0xff, version, 0x08, ...sessionId, 0x03]),
    ]);
    for (const bytes of forgeries) {
      path.forgeToClient(bytes);
      await sendFromElsewhere(alice.client.local.port, bytes);
    }
    // The forgeries were sent before this line; loopback keeps order, so the client handled them first.
    alice.client.say('after');
    await bob.events.waitFor((e) => e.type === 'chat' && e.text === 'after');
    bob.client.say('still there?');
    await alice.events.waitFor((e) => e.type === 'chat' && e.text === 'still there?');
    assert.equal(
      alice.events.items.filter((e) => e.type === 'welcome').length,
      1,
      'no new session, no rejoin',
    );
    assert.ok(!alice.events.items.some((e) => e.type === 'reconnected' || e.type === 'rejoining'));
    assert.ok(!bob.events.items.some((e) => e.type === 'notice' && /alice (left|joined)/.test(e.text)));
    const hellos = path.seen.items.filter((s) => !s.toClient && s.bytes[2] === 0x01);
    assert.equal(hellos.length, 2, 'one handshake: a probe and the HELLO with its cookie');
  });

  test('a v2 client gone silent is sent CLOSE 1, and the others see it timed out', async (t) => {
    const { port } = await startRelay(t, ['--idle-timeout', '1.5', '--sweep-interval', '0.5']);
    const path = await forwarder(t, port);
    await v2Client(t, path.port, 'alice');
    const bob = await v2Client(t, port, 'bob');
    // The ACCEPT's sealed timers (1,500 ms, keep-alive 500 ms) are followed: quiet, alice still pings.
    const before = path.seen.items.filter((s) => !s.toClient).length;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const pings = path.seen.items.filter((s) => !s.toClient).length - before;
    assert.ok(pings >= 2, `${pings} keep-alives in 1.2 s, for a 500 ms keep-alive`);
    path.passToRelay = false;
    const close = await path.seen.waitFor((s) => s.toClient && s.bytes[2] === 0x05, { timeoutMs: 5_000 });
    assert.equal(close.bytes.byteLength, 32);
    // Its reason (1, idle) is sealed; test/sim/v2-session-rules.test.ts reads it from the relay's own note.
    await bob.events.waitFor((e) => e.type === 'notice' && e.text === 'alice timed out', {
      timeoutMs: 5_000,
    });
    assert.ok(!bob.events.items.some((e) => e.type === 'notice' && e.text === 'alice left'));
  });

  test('--keepalive server pings a v2 client with PING frames, never a v1 /ping line, and it stays', async (t) => {
    const { port } = await startRelay(t, [
      '--keepalive',
      'server',
      '--keepalive-interval',
      '0.3',
      '--sweep-interval',
      '0.1',
    ]);
    const path = await forwarder(t, port);
    const notes = new Collector<ProtectedNote>('alice notes');
    const alice = await v2Client(t, path.port, 'alice', { v2: { observer: (note) => notes.push(note) } });
    // A DATA from the relay carrying a PING, as alice opened it (on the wire it is ciphertext).
    await notes.waitFor((n) => n.direction === 'opened' && (n.frames ?? []).some((f) => f.type === 'ping'), {
      timeoutMs: 5_000,
    });
    const linesToAlice = notes.items
      .filter((n) => n.direction === 'opened')
      .flatMap((n) => (n.frames ?? []).flatMap((f) => (f.type === 'line' ? [f.text] : [])));
    assert.ok(!linesToAlice.includes('/ping'), 'no /ping line inside any datagram to alice');
    alice.client.say('still here');
    const said = await notes.waitFor(
      (n) =>
        n.direction === 'sealed' &&
        (n.frames ?? []).some((f) => f.type === 'line' && f.text === 'still here'),
    );
    const onWire = await path.seen.waitFor((s) => !s.toClient && Buffer.from(s.bytes).equals(said.datagram));
    assert.ok(!Buffer.from(onWire.bytes).includes('still here'), 'the line is not readable on the wire');
    assert.equal(alice.events.items.filter((e) => e.type === 'welcome').length, 1);
  });

  test('an idle timeout the ACCEPT cannot carry is refused at start, not clamped', async () => {
    for (const value of ['0.002', '2ms', '4294968s']) {
      const child = CliProcess.cli(['relay', '--port', '0', '--idle-timeout', value], { name: value });
      const status = await child.waitForExit();
      assert.deepEqual(
        child.stderr.items,
        [
          `udpchat relay: --idle-timeout must be 3ms to 4294967295ms (the v2 ACCEPT carries it as u32 milliseconds, with a keep-alive of a third of it), got "${value}"`,
        ],
        value,
      );
      assert.deepEqual(status, { code: 2, signal: null });
    }
  });
});
