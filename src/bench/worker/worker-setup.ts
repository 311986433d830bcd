/**
 * What a worker process needs to play its slice of clients: the same for traffic runs and idle-client
 * runs, except for the tuning each kind of run chooses.
 */
import { nativeReceiveAddon } from '../../transport/native-receive.ts';
import type { BenchTransport, GeneratorReceive, WorkerSetup } from '../messages.ts';
import type { WorkerSlice } from '../model/plan.ts';
import type { ReceiveChoice } from '../options.ts';
import type { RelayUnderTest } from '../relay-process.ts';

/** Clients per source address (127.0.0.2, 127.0.0.3, ...): well inside the ~28,000 ephemeral ports. */
export const CLIENTS_PER_ADDRESS = 25_000;

export type SetupTuning = Pick<
  WorkerSetup,
  'loopback' | 'idleRoomSize' | 'pingIntervalMs' | 'joinWindow' | 'recvBufferSize' | 'receive'
>;

/** --receive as the workers will do it: 'auto' is the addon when built; 'native' without it is an error. */
export function resolveReceive(choice: ReceiveChoice): GeneratorReceive {
  if (choice === 'node') return 'node';
  if (nativeReceiveAddon() !== null) return 'native';
  if (choice === 'auto') return 'node';
  throw new Error('--receive native: the native addon is not built here (see the npm install output)');
}

/** How a report names the receive path (a stream fleet, or the v2 fleet, has one way only). */
export function receiveLabel(receive: GeneratorReceive, transport: BenchTransport = 'udp'): string {
  if (transport === 'tcp') return 'node:net, v1 lines over TCP';
  if (transport === 'ws') return 'ws, v1 lines over WebSocket';
  if (transport === 'v2') return 'node:dgram, v1 lines over protected v2 (wire 3)';
  return receive === 'native' ? 'recvmmsg (native addon), kernel receive times' : 'node:dgram';
}

export function workerSetup(
  relay: RelayUnderTest,
  slice: WorkerSlice | undefined,
  tuning: SetupTuning,
): WorkerSetup {
  if (slice === undefined) throw new Error('no slice for worker');
  return {
    relayHost: relay.host,
    relayPort: relay.port,
    firstClient: slice.firstClient,
    clientCount: slice.clientCount,
    perAddress: CLIENTS_PER_ADDRESS,
    ...tuning,
    transport: relay.transport,
  };
}
