/**
 * Relay pins across failover (docs/PROTOCOL-v2.md, 5.3 and 16), with real relay processes and real UDP on
 * 127.0.0.1: every relay of the cluster has its own identity key, and a v2 client moving from A to B
 * checks B against B's own pin. Both pinned: it resumes on B with no refusal. B pinned with another key:
 * B is refused loudly (`relay-skipped`, naming B and the key it offered), not one line goes to it, and the
 * client goes on to C. A first contact with B during a move pins B under B's address in known_relays (the
 * chat command's RelayPins, over a known_relays file of the test's own), and leaves A's pin as it was.
 * Then `udpchat chat --relay ...` as a line filter with its own XDG_CONFIG_HOME: a first run pins A, then B
 * under B's address on the move, and a second run (both pinned) fails over with no refusal; with B pinned
 * to another key, the loud report names B and the client goes on to C. Run `npm run build` first by hand.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { pinRelay, readKnownRelays } from '../../src/cli/known-relays.ts';
import { RelayPins } from '../../src/cli/relay-pins.ts';
import type { RelayTarget } from '../../src/client/failover.ts';
import { ChatClient, type ChatClientEvents } from '../../src/client-host/chat-client.ts';
import { fingerprint } from '../../src/protocol/v2/fingerprint.ts';
import { RelayIdentity } from '../../src/protocol/v2/relay-identity.ts';
import { INTERACTIVE_IDLE_PROBE_MS } from '../../src/session/liveness.ts';
import { CliProcess } from './support/cli-process.ts';
import { Collector } from './support/collector.ts';
import { waitUntil } from './support/wait-until.ts';

const KEY = randomBytes(32).toString('hex');
const MOVE_TIMEOUT_MS = 15_000;

interface PinnedRelay {
  readonly process: CliProcess;
  readonly port: number;
  readonly fingerprint: string;
  readonly name: string;
}

/** A keyed relay with an identity of its own; the fingerprint it prints is the one its seed gives. */
async function startRelay(
  t: TestContext,
  label: string,
  seed: Buffer = randomBytes(32),
  port = 0,
): Promise<PinnedRelay> {
  const relay = CliProcess.spawn(process.execPath, ['--import', 'tsx', 'test/e2e/support/keyed-relay.ts'], {
    name: label,
    env: {
      ...process.env,
      UDPCHAT_TEST_RESUMPTION_KEY: KEY,
      UDPCHAT_TEST_IDENTITY_SEED: seed.toString('hex'),
      UDPCHAT_TEST_PORT: String(port),
    },
  });
  t.after(() => relay.stop());
  const line = await relay.waitForLine(/^relay listening on udp\/\d+$/, { timeoutMs: 15_000 });
  const identity = await relay.waitForLine(/^relay identity SHA256:/);
  const print = fingerprint(RelayIdentity.fromSeed(new Uint8Array(seed)).publicKey);
  assert.equal(identity, `relay identity ${print}`);
  const bound = Number(line.split('/')[1]);
  return { process: relay, port: bound, fingerprint: print, name: `127.0.0.1:${bound}` };
}

/** Another key than any relay's: a pin some relay does not prove. */
const strangerPrint = (): string =>
  fingerprint(RelayIdentity.fromSeed(new Uint8Array(randomBytes(32))).publicKey);

interface Mover {
  client: ChatClient;
  readonly events: Collector<string>;
  readonly identities: ChatClientEvents['relay-identity'][];
  readonly skipped: ChatClientEvents['relay-skipped'][];
  readonly moved: ChatClientEvents['moved'][];
  readonly errors: ChatClientEvents['error'][];
  /** `nick: text` of every chat line shown in #ops. */
  readonly heard: Collector<string>;
  readonly tickets: Collector<string>;
  /** How many tickets had come when the relay first said we are in #ops. */
  ticketsBeforeOps: number | null;
}

const TICKET_PREFIX = '*** resume ticket ';

async function connect(
  t: TestContext,
  nick: string,
  relays: readonly PinnedRelay[],
  pinFor?: (relay: RelayTarget) => string | undefined,
): Promise<Mover> {
  const [first, ...rest] = relays;
  assert.ok(first);
  const m: Mover = {
    client: null as unknown as ChatClient,
    events: new Collector<string>(`${nick} events`),
    identities: [],
    skipped: [],
    moved: [],
    errors: [],
    heard: new Collector<string>(`${nick} heard`),
    tickets: new Collector<string>(`${nick} tickets`),
    ticketsBeforeOps: null,
  };
  const { events, heard } = m;
  const client = await ChatClient.connect({
    nick,
    host: '127.0.0.1',
    port: first.port,
    failover: rest.map((relay) => ({ host: '127.0.0.1', port: relay.port })),
    protocol: 'v2',
    v2: {
      idleProbeMs: INTERACTIVE_IDLE_PROBE_MS,
      // The resumption tickets the relay sends (the client keeps them out of the session's sight).
      observer: (note) => {
        if (note.direction !== 'opened') return;
        for (const frame of note.frames ?? [])
          if (frame.type === 'line' && frame.text.startsWith(TICKET_PREFIX)) m.tickets.push(frame.text);
      },
    },
    ...(pinFor === undefined ? {} : { pinFor }),
  });
  t.after(() => client.close());
  m.client = client;
  client.on('welcome', () => events.push('welcome'));
  client.on('rooms', (e) => {
    if (m.ticketsBeforeOps === null && e.rooms.includes('#ops')) m.ticketsBeforeOps = m.tickets.items.length;
    events.push(`rooms ${e.rooms.join(' ')}`);
  });
  client.on('relay-identity', (e) => {
    m.identities.push(e);
    events.push(`identity ${e.relay}`);
  });
  client.on('relay-skipped', (e) => {
    m.skipped.push(e);
    events.push(`skipped ${e.relay}`);
  });
  client.on('moved', (e) => {
    m.moved.push(e);
    events.push(`moved ${e.to}`);
  });
  client.on('error', (e) => {
    m.errors.push(e);
    events.push(`error ${e.message}`);
  });
  client.on('chat', (e) => {
    if (e.room === '#ops') heard.push(`${e.nick}: ${e.text}`);
  });
  // Every line the relay shows, for "it never saw alice".
  for (const name of ['notice', 'line', 'private'] as const)
    client.on(name, (e) => heard.push(`${name}: ${e.line}`));
  return m;
}

async function inOps(members: readonly Mover[]): Promise<void> {
  const sources = members.flatMap((m) => [m.events, m.heard]);
  await waitUntil(() => members.every((m) => m.client.state === 'joined'), sources, {
    timeoutMs: 10_000,
    describe: () => members.map((m) => `${m.client.nick} ${m.client.state}`).join(', '),
  });
  for (const m of members) m.client.joinRoom('#ops');
  await waitUntil(() => members.every((m) => m.client.rooms.rooms.includes('#ops')), sources, {
    timeoutMs: 5_000,
    describe: () => 'all in #ops',
  });
}

/** Until `m` holds a ticket issued after it joined #ops (asked for when its rooms settle). */
async function ticketed(m: Mover): Promise<void> {
  const from = m.ticketsBeforeOps ?? Number.POSITIVE_INFINITY;
  await m.tickets.waitFor(() => true, { from, timeoutMs: 5_000, what: 'a resumption ticket for #ops' });
}

function knownRelaysFile(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'udpchat-pins-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'udpchat', 'known_relays');
}

/** The chat command's pins over `path`, serving every relay of the list (as `udpchat chat` does). */
function cliPins(path: string, first: PinnedRelay): RelayPins {
  return new RelayPins(path, '127.0.0.1', first.port, undefined);
}

describe('relay pins across failover', () => {
  test('A and B both pinned: A killed, the client resumes on B with no refusal, each checked against its own pin', async (t) => {
    const a = await startRelay(t, 'relay A');
    const b = await startRelay(t, 'relay B');
    const path = knownRelaysFile(t);
    pinRelay(path, a.name, a.fingerprint);
    pinRelay(path, b.name, b.fingerprint);
    const before = readFileSync(path, 'utf8');
    const pins = cliPins(path, a);
    const alice = await connect(t, 'alice', [a, b], (relay) => pins.pinFor(relay));
    pins.watch(alice.client, false);
    await inOps([alice]);
    await ticketed(alice);

    a.process.kill('SIGKILL');
    await waitUntil(() => alice.moved.length === 1 || alice.errors.length > 0, [alice.events], {
      timeoutMs: MOVE_TIMEOUT_MS,
      describe: () => alice.events.items.join(' | '),
    });
    assert.deepEqual(alice.errors, [], 'no refusal');
    assert.deepEqual(alice.skipped, [], 'no relay skipped');
    assert.equal(alice.moved[0]?.to, b.name);
    assert.equal(alice.moved[0]?.resumed, true, 'resumed on B');
    assert.deepEqual(
      alice.identities.map((e) => [e.relay, e.host, e.port, e.fingerprint, e.firstContact]),
      [
        [a.name, '127.0.0.1', a.port, a.fingerprint, false],
        [b.name, '127.0.0.1', b.port, b.fingerprint, false],
      ],
      'each relay proved its own pinned key',
    );
    assert.equal(pins.refused, false);
    assert.equal(readFileSync(path, 'utf8'), before, 'known_relays unchanged');
    await alice.client.leave();
  });

  test('B pinned with another key: B is refused and skipped, not one line goes to it, the client moves on to C', async (t) => {
    const a = await startRelay(t, 'relay A');
    const b = await startRelay(t, 'relay B');
    const c = await startRelay(t, 'relay C');
    const wrongForB = strangerPrint();
    const pinsByPort = new Map([
      [a.port, a.fingerprint],
      [b.port, wrongForB],
      [c.port, c.fingerprint],
    ]);
    const asked: string[] = [];
    const alice = await connect(t, 'alice', [a, b, c], (relay) => {
      asked.push(`${relay.host}:${relay.port}`);
      return pinsByPort.get(relay.port);
    });
    const carol = await connect(t, 'carol', [b]);
    const dave = await connect(t, 'dave', [c]);
    await inOps([alice, carol, dave]);
    await ticketed(alice);
    const carolHeardBefore = carol.heard.items.length;

    a.process.kill('SIGKILL');
    await a.process.exited;
    // Said once A is dead (so it acknowledged nothing of it): it must reach C, never B.
    assert.equal(alice.client.say('said during the move').ok, true);
    const sources = [alice.events, dave.heard];
    await waitUntil(() => alice.moved.length === 1 || alice.errors.length > 0, sources, {
      timeoutMs: MOVE_TIMEOUT_MS,
      describe: () => alice.events.items.join(' | '),
    });
    assert.deepEqual(alice.errors, [], 'the move was not stopped by the refusal');
    assert.equal(alice.skipped.length, 1, 'B skipped once');
    const skip = alice.skipped[0];
    assert.equal(skip?.relay, b.name);
    assert.equal(skip?.host, '127.0.0.1');
    assert.equal(skip?.port, b.port);
    assert.equal(skip?.error.code, 'identity-changed');
    assert.equal(skip?.error.offered, b.fingerprint, 'the report names the key B proved');
    assert.match(
      skip?.error.message ?? '',
      new RegExp(`^RELAY IDENTITY CHANGED for 127\\.0\\.0\\.1:${b.port}`),
    );
    assert.equal(alice.moved[0]?.to, c.name);
    assert.equal(alice.moved[0]?.resumed, true, 'resumed on C');
    const order = alice.events.items.filter((e) => e.startsWith('skipped') || e.startsWith('moved'));
    assert.deepEqual(order, [`skipped ${b.name}`, `moved ${c.name}`]);
    assert.deepEqual(asked, [a.name, b.name, c.name], 'each relay was asked for its own pin');
    assert.deepEqual(
      alice.identities.map((e) => e.relay),
      [a.name, c.name],
      'no identity accepted from B',
    );

    await waitUntil(() => dave.heard.items.includes('alice: said during the move'), sources, {
      timeoutMs: 10_000,
      describe: () => `dave heard ${dave.heard.items.join(' | ')}`,
    });
    assert.equal(alice.client.say('on C now').ok, true);
    await waitUntil(() => dave.heard.items.includes('alice: on C now'), sources, {
      timeoutMs: 5_000,
      describe: () => `dave heard ${dave.heard.items.join(' | ')}`,
    });
    // Carol, on B in #ops, saw nothing of alice: not her lines, not a resume or join of hers.
    const onB = carol.heard.items.slice(carolHeardBefore).filter((line) => line.includes('alice'));
    assert.deepEqual(onB, [], 'relay B never carried a line of alice');
    for (const m of [alice, carol, dave]) await m.client.leave();
  });

  test('a first contact with B during a move pins B under B’s address; A’s pin stays', async (t) => {
    const a = await startRelay(t, 'relay A');
    const b = await startRelay(t, 'relay B');
    const path = knownRelaysFile(t);
    pinRelay(path, a.name, a.fingerprint);
    const pins = cliPins(path, a);
    const alice = await connect(t, 'alice', [a, b], (relay) => pins.pinFor(relay));
    pins.watch(alice.client, false);
    await inOps([alice]);
    assert.deepEqual([...readKnownRelays(path)], [[a.name, a.fingerprint]]);

    a.process.kill('SIGKILL');
    await waitUntil(() => alice.moved.length === 1 || alice.errors.length > 0, [alice.events], {
      timeoutMs: MOVE_TIMEOUT_MS,
      describe: () => alice.events.items.join(' | '),
    });
    assert.deepEqual(alice.errors, []);
    assert.equal(alice.moved[0]?.to, b.name);
    const onB = alice.identities.at(-1);
    assert.equal(onB?.relay, b.name);
    assert.equal(onB?.firstContact, true, 'B was a first contact');
    assert.equal(onB?.fingerprint, b.fingerprint);
    assert.deepEqual(
      [...readKnownRelays(path)].sort(),
      [
        [a.name, a.fingerprint],
        [b.name, b.fingerprint],
      ].sort(),
      'B pinned under its own address, A still under its own key',
    );
    await alice.client.leave();
  });
});

/** `udpchat chat alice --relay A,B` as a line filter (stdin not a terminal) with its own config directory. */
function chatCli(configHome: string, relays: readonly PinnedRelay[]): CliProcess {
  const list = relays.map((relay) => relay.name).join(',');
  return CliProcess.cli(['chat', 'alice', '--relay', list], {
    name: 'alice',
    env: { ...process.env, XDG_CONFIG_HOME: configHome },
  });
}

/** Kills relay A under a running `udpchat chat`, which then has a line to say and moves to B. */
async function failOver(chat: CliProcess, a: PinnedRelay, b: PinnedRelay): Promise<string> {
  a.process.kill('SIGKILL');
  await a.process.exited;
  chat.writeLine('said once A is gone');
  return chat.waitForLine(new RegExp(`^udpchat: relay ${a.name} lost — (resumed|joined) .*${b.name}`), {
    stream: 'stderr',
    timeoutMs: MOVE_TIMEOUT_MS,
  });
}

describe('udpchat chat --relay A,B with known_relays (run `npm run build` first by hand)', () => {
  test('the first run pins A, then B under its own address on the move; the second run fails over with no refusal', async (t) => {
    const seedA = randomBytes(32);
    let a = await startRelay(t, 'relay A', seedA);
    const b = await startRelay(t, 'relay B');
    const configHome = mkdtempSync(join(tmpdir(), 'udpchat-pins-cli-'));
    t.after(() => rmSync(configHome, { recursive: true, force: true }));
    const known = join(configHome, 'udpchat', 'known_relays');
    const firstContact = (relay: PinnedRelay): string =>
      `relay ${relay.name} identity ${relay.fingerprint} (first contact: pinned in known_relays)`;

    const first = chatCli(configHome, [a, b]);
    t.after(() => first.stop());
    await first.waitForLine('*** welcome, alice ***');
    await first.waitForLine(firstContact(a), { stream: 'stderr' });
    await failOver(first, a, b);
    await first.waitForLine(firstContact(b), { stream: 'stderr' });
    first.endInput();
    assert.equal((await first.waitForExit(10_000)).code, 0);
    assert.deepEqual(
      [...readKnownRelays(known)].sort(),
      [
        [a.name, a.fingerprint],
        [b.name, b.fingerprint],
      ].sort(),
      'each relay pinned under its own address',
    );
    const pinned = readFileSync(known, 'utf8');

    // A back where it was, with its identity file (the same key); both relays are pinned now.
    a = await startRelay(t, 'relay A again', seedA, a.port);
    const second = chatCli(configHome, [a, b]);
    t.after(() => second.stop());
    await second.waitForLine('*** welcome, alice ***');
    const moved = await failOver(second, a, b);
    second.endInput();
    assert.equal((await second.waitForExit(10_000)).code, 0, 'left normally: no refusal');
    const stderr = second.stderr.items.join('\n');
    assert.doesNotMatch(stderr, /RELAY IDENTITY CHANGED|first contact|skipped|identity verification/);
    assert.match(moved, /lost — (resumed|joined)/);
    assert.equal(readFileSync(known, 'utf8'), pinned, 'known_relays unchanged by the second run');
  });

  test('B pinned with another key: the loud report names B and the command to accept it, and the client goes on to C', async (t) => {
    const a = await startRelay(t, 'relay A');
    const b = await startRelay(t, 'relay B');
    const c = await startRelay(t, 'relay C');
    const configHome = mkdtempSync(join(tmpdir(), 'udpchat-pins-cli-'));
    t.after(() => rmSync(configHome, { recursive: true, force: true }));
    const known = join(configHome, 'udpchat', 'known_relays');
    const wrongForB = strangerPrint();
    pinRelay(known, a.name, a.fingerprint);
    pinRelay(known, b.name, wrongForB);
    pinRelay(known, c.name, c.fingerprint);
    const pinned = readFileSync(known, 'utf8');

    const chat = chatCli(configHome, [a, b, c]);
    t.after(() => chat.stop());
    await chat.waitForLine('*** welcome, alice ***');
    await failOver(chat, a, c);
    const stderr = chat.stderr.items;
    const report = [
      `RELAY IDENTITY CHANGED for ${b.name}`,
      `  pinned:  ${wrongForB}`,
      `  offered: ${b.fingerprint}`,
      "Someone may be intercepting this connection, or the relay's identity file was replaced.",
      `If you trust the new key:  udpchat chat --relay-key ${b.fingerprint} --host 127.0.0.1 --port ${b.port}`,
    ];
    const at = stderr.indexOf(report[0] ?? '');
    assert.ok(at >= 0, stderr.join('\n'));
    assert.deepEqual(stderr.slice(at, at + report.length), report);
    assert.ok(
      stderr.some((line) =>
        line.startsWith(`udpchat: relay ${b.name} skipped: RELAY IDENTITY CHANGED for ${b.name}`),
      ),
      stderr.join('\n'),
    );
    chat.endInput();
    assert.equal((await chat.waitForExit(10_000)).code, 0, 'the client went on: no refusal of its relay');
    assert.equal(readFileSync(known, 'utf8'), pinned, "B's pin is not replaced by the key it offered");
  });
});
