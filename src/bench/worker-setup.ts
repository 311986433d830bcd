/**
 * What a worker process needs to play its slice of clients: the same for traffic runs and idle-client
 * runs, except for the tuning each kind of run chooses.
 */
import type { WorkerSetup } from './messages.ts';
import type { WorkerSlice } from './plan.ts';
import type { RelayUnderTest } from './relay-process.ts';

/** Clients per source address (127.0.0.2, 127.0.0.3, ...): well inside the ~28,000 ephemeral ports. */
export const CLIENTS_PER_ADDRESS = 25_000;

export type SetupTuning = Pick<
  WorkerSetup,
  'loopback' | 'idleRoomSize' | 'pingIntervalMs' | 'joinWindow' | 'recvBufferSize'
>;

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
  };
}
