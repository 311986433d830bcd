/**
 * A relay measurement to run by hand (not a test: its figures depend on the machine), on a file that
 * measure-store.ts kept:
 *
 *   node --import tsx test/store/measure-store.ts 1000000 /tmp/million.db
 *   npm run build && node --import tsx test/store/measure-relay-history.ts /tmp/million.db
 *
 * It starts the built relay on the file (retention opened wide, so nothing is pruned meanwhile) and
 * reports the time from spawning it to its listening line, then the round trip of `/history #big 20` and
 * of a 200-line gap fill over UDP, from the request to the end marker.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { CLI_ENTRY } from '../e2e/support/cli-process.ts';

const PATH = process.argv[2];
const STARTS = 5;
const QUERIES = 500;
// Flood control off: the measurement asks as fast as the answers come.
const WIDE = ['--history-max-lines', '100000000', '--history-max-age', '36500d', '--line-rate', '0'];

async function startRelay(path: string): Promise<{ port: number; ms: number; stop: () => void }> {
  const started = performance.now();
  const child = spawn(process.execPath, [
    CLI_ENTRY,
    'relay',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--db',
    path,
    ...WIDE,
  ]);
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /relay listening on udp\/(\d+)/.exec(text);
      if (match !== null) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`relay exited (${code})`)));
  });
  const ms = performance.now() - started;
  return { port, ms, stop: () => child.kill('SIGTERM') };
}

async function roundTrips(port: number, nick: string, ask: (i: number) => string): Promise<string> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let waiting: ((line: string) => void) | null = null;
  socket.on('message', (message) => waiting?.(message.toString()));
  const answer = (send: string, until: (line: string) => boolean): Promise<void> =>
    new Promise((resolve) => {
      waiting = (line) => {
        if (until(line)) resolve();
      };
      socket.send(send, port, '127.0.0.1');
    });
  await answer(`/join ${nick}\n`, (line) => line.startsWith('*** welcome'));
  await answer('/join #big\n', (line) => line.startsWith('[#big] *** members'));
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const start = performance.now();
    await answer(`${ask(i)}\n`, (line) => line.startsWith('[history #big end]'));
    times.push((performance.now() - start) * 1000);
  }
  socket.close();
  times.sort((a, b) => a - b);
  const at = (q: number): string => (times[Math.floor(q * (times.length - 1))] as number).toFixed(0);
  return `median ${at(0.5)} us, p99 ${at(0.99)} us`;
}

async function main(path: string): Promise<void> {
  const starts: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const relay = await startRelay(path);
    starts.push(relay.ms);
    relay.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(`relay start to listening:  ${starts.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  const relay = await startRelay(path);
  try {
    console.log(
      `/history #big 20 over UDP: ${await roundTrips(relay.port, 'last', () => '/history #big 20')}`,
    );
    console.log(
      `200 after an id over UDP:  ${await roundTrips(relay.port, 'gap', (i) => `/history #big after ${1 + ((i * 1_997) % 980_000)} 200`)}`,
    );
  } finally {
    relay.stop();
  }
}

if (PATH === undefined)
  throw new Error('usage: measure-relay-history.ts FILE (a file measure-store.ts kept)');
await main(PATH);
