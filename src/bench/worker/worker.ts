/**
 * A bench worker process (started by WorkerPool with child_process.fork): it owns a slice of the bench
 * clients, joins them, keeps them alive, sends its share of each step's lines and records what its clients
 * receive. Several workers spread the generator over processes, each with its own event loop, file limit
 * and CPU time, so that on a machine with cores to spare the generator is not the bottleneck it measures
 * (each worker's CPU time is reported, so a reader can tell when it is).
 */
import { nativeReceiveAddon } from '../../transport/native-receive.ts';
import type { WorkerCounters, WorkerReplyBody, WorkerRequest, WorkerSetup } from '../messages.ts';
import { ClientFleet } from './client-fleet.ts';
import { BenchClock } from './clock.ts';
import { DatagramSorter } from './datagram-sorter.ts';
import type { Fleet } from './fleet.ts';
import { Joiner } from './joiner.ts';
import { NativeClientFleet } from './native-client-fleet.ts';
import { Pinger } from './pinger.ts';
import { sendStep } from './step-sender.ts';
import { TcpClientFleet } from './tcp-client-fleet.ts';
import { V2ClientFleet } from './v2-client-fleet.ts';
import { WsClientFleet } from './ws-client-fleet.ts';

interface Running {
  readonly fleet: Fleet;
  readonly joiner: Joiner;
  readonly pinger: Pinger;
  readonly sorter: DatagramSorter;
}

let running: Running | undefined;

async function handle(request: WorkerRequest): Promise<WorkerReplyBody> {
  if (request.type === 'setup') {
    running = await start(request.setup);
    return { type: 'ok' };
  }
  if (running === undefined) throw new Error(`"${request.type}" before "setup"`);
  return handleRunning(running, request);
}

async function start(setup: WorkerSetup): Promise<Running> {
  const fleet = await openFleet(setup);
  const joiner = new Joiner(fleet, setup);
  const sorter = new DatagramSorter(joiner);
  fleet.onMessage((local, bytes, receivedNs) => sorter.sort(local, bytes, receivedNs));
  const pinger = new Pinger(fleet, setup.pingIntervalMs, (local) => joiner.isJoined(local));
  return { fleet, joiner, pinger, sorter };
}

async function openFleet(setup: WorkerSetup): Promise<Fleet> {
  if (setup.transport === 'tcp') return TcpClientFleet.open(setup);
  if (setup.transport === 'ws') return WsClientFleet.open(setup);
  if (setup.transport === 'v2') return V2ClientFleet.open(setup);
  if (setup.receive === 'node') return ClientFleet.open(setup);
  const addon = nativeReceiveAddon();
  if (addon === null) throw new Error('the native addon is not built here: no recvmmsg receive');
  return NativeClientFleet.open(addon, setup);
}

async function handleRunning(r: Running, request: WorkerRequest): Promise<WorkerReplyBody> {
  switch (request.type) {
    case 'join':
      return { type: 'joined', result: await r.joiner.run() };
    case 'counters':
      return { type: 'counters', counters: countersOf(r) };
    case 'step': {
      const clock = BenchClock.fromEpoch(request.plan.epochNs);
      r.sorter.beginStep(request.plan, r.fleet.size, clock);
      return { type: 'sent', report: await sendStep(r.fleet, clock, request.plan) };
    }
    case 'collect':
      return { type: 'collected', report: r.sorter.endStep() };
    case 'leave':
      r.pinger.stop();
      for (let local = 0; local < r.fleet.size; local++) r.fleet.send(local, '/leave\n');
      return { type: 'ok' };
    default:
      throw new Error(`unknown request "${request.type}"`);
  }
}

function countersOf(r: Running): WorkerCounters {
  const cpu = process.cpuUsage();
  return {
    datagramsIn: r.sorter.busyDatagrams,
    pingsSent: r.pinger.sent,
    pongsReceived: r.sorter.pongs,
    sendErrors: r.fleet.sendErrors,
    cpuUs: cpu.user + cpu.system,
  };
}

function reply(id: number, body: WorkerReplyBody): void {
  process.send?.({ ...body, id });
}

process.on('message', (message: WorkerRequest) => {
  handle(message).then(
    (body) => reply(message.id, body),
    (error: unknown) =>
      reply(message.id, { type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});

// The coordinator went away (finished, or killed): close everything and exit rather than linger.
process.on('disconnect', () => {
  running?.pinger.stop();
  void (running?.fleet.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
