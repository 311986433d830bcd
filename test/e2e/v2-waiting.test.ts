/**
 * docs/PROTOCOL-v2.md section 12, what the client says when protected v2 does not come, through the public
 * surface: after a silent fallback to v1 (no answer to the HELLOs) it says v1 is neither encrypted nor
 * authenticated (`v2-refused`, reason `silent`); a pinned client whose relay does not answer keeps probing
 * and says so once (`v2-waiting`, `unanswered`); a pinned client refused with REJECT 3 by a real, full relay
 * says once that the relay is full and that it retries, and gets in when a place is free. One CLI line
 * filter shows the pinned client's line on stderr, once. Run `npm run build` first when running by hand.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { pinRelay } from '../../src/cli/known-relays.ts';
import { ChatClient } from '../../src/client-host/chat-client.ts';
import { fingerprint } from '../../src/protocol/v2/fingerprint.ts';
import { FULL_RELAY_RETRY_MS } from '../../src/protocol/v2/protected-limits.ts';
import { RelayIdentity } from '../../src/protocol/v2/relay-identity.ts';
import { RelayServer } from '../../src/relay-host/relay-server.ts';
import { CliProcess } from './support/cli-process.ts';
import { Collector } from './support/collector.ts';

const strangerPrint = (): string =>
  fingerprint(RelayIdentity.fromSeed(new Uint8Array(randomBytes(32))).publicKey);

/**
 * A UDP socket playing a relay that never answers protected v2: it counts the HELLOs (`FF` first byte) and,
 * with `welcome`, welcomes a v1 `/join` as the seed's relay does.
 */
async function silentRelay(
  t: TestContext,
  welcome: boolean,
): Promise<{ port: number; hellos: Collector<string> }> {
  const hellos = new Collector<string>('hellos');
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, from) => {
    if (msg[0] === 0xff) hellos.push(`hello ${hellos.items.length + 1}`);
    else if (welcome && msg.toString().startsWith('/join '))
      socket.send(
        Buffer.from(`*** welcome, ${msg.toString().slice(6).trim()} ***\n`),
        from.port,
        from.address,
      );
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.after(() => socket.close());
  return { port: socket.address().port, hellos };
}

interface Watched {
  readonly client: ChatClient;
  readonly events: Collector<string>;
}

async function watched(t: TestContext, nick: string, port: number, pin?: string): Promise<Watched> {
  const client = await ChatClient.connect({
    nick,
    host: '127.0.0.1',
    port,
    ...(pin === undefined ? {} : { pinFor: () => pin }),
  });
  t.after(() => client.close());
  const events = new Collector<string>(`${nick} events`);
  client.on('v2-refused', (e) => events.push(`v2-refused ${e.reason}`));
  client.on('v2-waiting', (e) => events.push(`v2-waiting ${e.reason} ${e.retryMs} ${e.relay}`));
  client.on('welcome', () => events.push('welcome'));
  client.on('protocol', (e) => events.push(`protocol ${e.protocol}`));
  client.on('error', (e) => events.push(`error ${e.code}`));
  return { client, events };
}

describe('what the client says while protected v2 does not come (section 12)', () => {
  test('a silent fallback to v1 says that v1 is neither encrypted nor authenticated, before the welcome', async (t) => {
    const relay = await silentRelay(t, true);
    const alice = await watched(t, 'alice', relay.port);
    await alice.events.waitFor((e) => e === 'welcome', { timeoutMs: 5_000 });
    const said = alice.events.items.filter((e) => e.startsWith('v2-') || e === 'welcome');
    assert.deepEqual(said, ['v2-refused silent', 'welcome']);
    assert.equal(alice.client.protocol, 'v1');
  });

  test('a pinned client whose relay does not answer says so once and keeps probing', async (t) => {
    const relay = await silentRelay(t, false);
    const alice = await watched(t, 'alice', relay.port, strangerPrint());
    await alice.events.waitFor((e) => e.startsWith('v2-waiting'), { timeoutMs: 5_000 });
    const after = relay.hellos.items.length;
    // A further round of HELLOs (3 a round): it keeps trying, and says nothing more.
    await relay.hellos.waitFor(() => true, {
      from: after + 3,
      timeoutMs: 8_000,
      what: 'another round of HELLOs',
    });
    assert.deepEqual(alice.events.items, [`v2-waiting unanswered 1000 127.0.0.1:${relay.port}`]);
    assert.equal(alice.client.protocol, 'probing', 'never v1');
  });

  test('a pinned client refused by a full relay (REJECT 3) says it is full and retries, then gets in', async (t) => {
    const identity = RelayIdentity.fromSeed(new Uint8Array(randomBytes(32)));
    const server = await RelayServer.start({ host: '127.0.0.1', port: 0, identity, maxV2Sessions: 1 });
    t.after(() => server.stop());
    const { port } = server.address;
    const bob = await watched(t, 'bob', port);
    await bob.events.waitFor((e) => e === 'welcome', { timeoutMs: 5_000 });
    const alice = await watched(t, 'alice', port, fingerprint(identity.publicKey));
    await alice.events.waitFor((e) => e.startsWith('v2-waiting'), { timeoutMs: 5_000 });
    assert.deepEqual(alice.events.items, [`v2-waiting full ${FULL_RELAY_RETRY_MS} 127.0.0.1:${port}`]);
    await bob.client.leave();
    await bob.client.close();
    await alice.events.waitFor((e) => e === 'welcome', { timeoutMs: FULL_RELAY_RETRY_MS + 5_000 });
    assert.equal(alice.client.protocol, 'v2');
    assert.deepEqual(
      alice.events.items.filter((e) => e.startsWith('v2-')),
      [`v2-waiting full ${FULL_RELAY_RETRY_MS} 127.0.0.1:${port}`],
      'said once, no v1',
    );
    await alice.client.leave();
  });

  test('udpchat chat, pinned, to a relay that does not answer: one line on stderr while it keeps trying', async (t) => {
    const relay = await silentRelay(t, false);
    const configHome = mkdtempSync(join(tmpdir(), 'udpchat-waiting-'));
    t.after(() => rmSync(configHome, { recursive: true, force: true }));
    pinRelay(join(configHome, 'udpchat', 'known_relays'), `127.0.0.1:${relay.port}`, strangerPrint());
    const alice = CliProcess.cli(['chat', 'alice', '127.0.0.1', String(relay.port)], {
      name: 'alice',
      env: { ...process.env, XDG_CONFIG_HOME: configHome },
    });
    t.after(() => alice.stop());
    const line = `relay 127.0.0.1:${relay.port} does not answer protected v2; it is pinned, so no v1: trying again every 1 s`;
    await alice.waitForLine(line, { stream: 'stderr', timeoutMs: 5_000 });
    const after = relay.hellos.items.length;
    await relay.hellos.waitFor(() => true, {
      from: after + 3,
      timeoutMs: 8_000,
      what: 'another round of HELLOs',
    });
    assert.deepEqual(alice.stderr.items, [line]);
  });
});
