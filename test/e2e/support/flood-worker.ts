/**
 * A flooder for test/e2e/flood.test.ts, run as a child process (`node --import tsx flood-worker.ts ...`) so
 * its sending loop never shares an event loop with the clients whose fairness the test measures.
 *
 *   lines --port P --nick N --rate R --ms D    joins as N from one socket, then sends R lines/s for D ms
 *   joins --port P --host H --count C --ms D   binds C sockets on H, then sends `/join n<i>` from each
 *
 * It talks to the test over stdio, one line each: it prints `ready` once prepared, floods when it reads
 * `go`, prints `sent <datagrams> <elapsed ms>` when done, and on end of input prints its `report ...` and
 * exits after closing every socket. Everything goes to 127.0.0.1 only.
 */
import dgram from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const RELAY_HOST = '127.0.0.1';
/** Answers (welcome, pong) are awaited this long per attempt, for this many attempts. */
const ANSWER_WAIT_MS = 1_000;
const ANSWER_ATTEMPTS = 5;
/** Sockets bound at once while preparing a join flood (bounded so a failure is reported early). */
const BIND_CHUNK = 500;
/**
 * A join-flood socket only needs room for its first reply; the kernel drops the rest of what the relay
 * fans out to it, so reading that fan-out cannot steal the relay's CPU.
 */
const SMALL_RECV_BUFFER = 4_096;
/** The pacer never sends more than this in one turn of the event loop, so replies are still read. */
const MAX_BATCH = 500;
/** When ahead of schedule the pacer yields this long: a timer, not a busy loop, so the relay keeps its core. */
const PACE_TICK_MS = 1;
/** However the test goes, the worker is gone after this long (its input also ends if the test dies). */
const WATCHDOG_MS = 60_000;

const THROTTLED = '*** you are sending too fast: line dropped ***\n';

interface Options {
  readonly port: number;
  readonly nick: string;
  readonly host: string;
  readonly rate: number;
  readonly count: number;
  readonly ms: number;
}

function readOptions(args: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string' },
      nick: { type: 'string', default: 'flooder' },
      host: { type: 'string', default: '127.0.0.1' },
      rate: { type: 'string', default: '20000' },
      count: { type: 'string', default: '10000' },
      ms: { type: 'string', default: '2000' },
    },
  });
  return {
    port: Number(values.port),
    nick: values.nick,
    host: values.host,
    rate: Number(values.rate),
    count: Number(values.count),
    ms: Number(values.ms),
  };
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function openSocket(host: string, relayPort: number, recvBufferSize?: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket({
    type: 'udp4',
    reuseAddr: false,
    ...(recvBufferSize === undefined ? {} : { recvBufferSize }),
  });
  socket.bind(0, host);
  await once(socket, 'listening');
  // Connected: each send skips the destination lookup, and only the relay's datagrams are read.
  socket.connect(relayPort, RELAY_HOST);
  await once(socket, 'connect');
  return socket;
}

function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

/** Sends `line` and awaits `answer` on `socket`, retrying a bounded number of times (UDP may drop either). */
async function ask(socket: dgram.Socket, line: string, answer: string): Promise<boolean> {
  for (let attempt = 0; attempt < ANSWER_ATTEMPTS; attempt++) {
    const heard = waitForDatagram(socket, answer, ANSWER_WAIT_MS);
    socket.send(line);
    if (await heard) return true;
  }
  return false;
}

function waitForDatagram(socket: dgram.Socket, text: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onMessage = (msg: Buffer): void => {
      if (msg.toString('utf8') !== text) return;
      finish(true);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(ok);
    };
    socket.on('message', onMessage);
  });
}

/**
 * Calls `sendOne(i)` for i = 0 .. total-1 at `rate` per second, in batches that catch up with the
 * schedule, and resolves with the elapsed time from the first send to the last.
 */
function pace(total: number, rate: number, sendOne: (index: number) => void): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    let sent = 0;
    const turn = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      const until = Math.min(due, sent + MAX_BATCH);
      while (sent < until) sendOne(sent++);
      if (sent >= total) resolve(performance.now() - started);
      else if (sent < due) setImmediate(turn);
      else setTimeout(turn, PACE_TICK_MS);
    };
    turn();
  });
}

/** Resolves on the `go` line; rejects if stdin ends first (the test gave up). */
async function awaitGo(lines: AsyncIterator<string>): Promise<void> {
  for (;;) {
    const next = await lines.next();
    if (next.done === true) throw new Error('input ended before "go"');
    if (next.value.trim() === 'go') return;
  }
}

async function awaitEnd(lines: AsyncIterator<string>): Promise<void> {
  for (;;) if ((await lines.next()).done === true) return;
}

async function floodLines(options: Options, lines: AsyncIterator<string>): Promise<void> {
  const socket = await openSocket(RELAY_HOST, options.port);
  let notices = 0;
  socket.on('message', (msg) => {
    if (msg.toString('utf8') === THROTTLED) notices++;
  });
  if (!(await ask(socket, `/join ${options.nick}\n`, `*** welcome, ${options.nick} ***\n`)))
    throw new Error('the relay never welcomed the flooder');
  say('ready');
  await awaitGo(lines);
  const total = Math.round((options.rate * options.ms) / 1000);
  say('started');
  const elapsed = await pace(total, options.rate, (i) => socket.send(`flood ${i}\n`));
  say(`sent ${total} ${elapsed.toFixed(1)}`);
  await awaitEnd(lines);
  // A /pong comes after every notice the relay sent for earlier lines: then the count is complete.
  const ponged = await ask(socket, '/ping\n', '/pong\n');
  say(`report notices=${notices} pong=${ponged}`);
  await closeSocket(socket);
}

async function bindMany(host: string, relayPort: number, count: number): Promise<dgram.Socket[]> {
  const sockets: dgram.Socket[] = [];
  while (sockets.length < count) {
    const chunk = Math.min(BIND_CHUNK, count - sockets.length);
    const opened = Array.from({ length: chunk }, () => openSocket(host, relayPort, SMALL_RECV_BUFFER));
    sockets.push(...(await Promise.all(opened)));
  }
  return sockets;
}

interface JoinTally {
  welcomed: number;
  answered: number;
  /** Sockets not answered yet, still open. */
  readonly open: Set<dgram.Socket>;
  readonly closing: Promise<void>[];
}

/**
 * Counts, per socket, whether its first datagram from the relay was a welcome, then closes the socket:
 * a registered member is sent every later join, and reading that fan-out would slow the flood. No socket
 * is bound after the flood starts, so a closed socket's port is never reused by another joiner.
 */
function tallyFirstReplies(sockets: readonly dgram.Socket[]): JoinTally {
  const tally: JoinTally = { welcomed: 0, answered: 0, open: new Set(sockets), closing: [] };
  for (const socket of sockets) {
    socket.once('message', (msg) => {
      tally.answered++;
      tally.open.delete(socket);
      if (msg.toString('utf8').startsWith('*** welcome, ')) tally.welcomed++;
      tally.closing.push(closeSocket(socket));
    });
  }
  return tally;
}

async function floodJoins(options: Options, lines: AsyncIterator<string>): Promise<void> {
  const started = performance.now();
  const sockets = await bindMany(options.host, options.port, options.count);
  const ports = new Set(sockets.map((s) => s.address().port));
  say(
    `bound ${sockets.length} sockets on ${ports.size} ports in ${(performance.now() - started).toFixed(0)} ms`,
  );
  const tally = tallyFirstReplies(sockets);
  say('ready');
  await awaitGo(lines);
  say('started');
  const rate = (options.count * 1000) / options.ms;
  const elapsed = await pace(sockets.length, rate, (i) => sockets[i]?.send(`/join n${i}\n`));
  say(`sent ${sockets.length} ${elapsed.toFixed(1)}`);
  await awaitEnd(lines);
  say(`report welcomed=${tally.welcomed} answered=${tally.answered}`);
  await Promise.all([...tally.closing, ...[...tally.open].map(closeSocket)]);
}

async function main(): Promise<void> {
  setTimeout(() => {
    process.stderr.write(`flood-worker: still running after ${WATCHDOG_MS} ms, exiting\n`);
    process.exit(2);
  }, WATCHDOG_MS).unref();
  const [mode, ...rest] = process.argv.slice(2);
  const options = readOptions(rest);
  const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  if (mode === 'lines') await floodLines(options, input);
  else if (mode === 'joins') await floodJoins(options, input);
  else throw new Error(`unknown mode ${String(mode)}: expected "lines" or "joins"`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`flood-worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
