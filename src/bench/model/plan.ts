/**
 * How a bench run is divided: which clients each worker process owns, from which source address each
 * client sends, which clients are senders and how many lines each worker sends. Pure arithmetic, so the
 * coordinator and every worker derive the same numbers.
 */

export interface WorkerSlice {
  readonly worker: number;
  /** Global index of the worker's first client; its clients are firstClient..firstClient+clientCount-1. */
  readonly firstClient: number;
  readonly clientCount: number;
  /** Global id of the worker's first sender; its senders are its first `senderCount` clients. */
  readonly firstSender: number;
  readonly senderCount: number;
}

/** Splits `clients` (and `senders` of them) over `workers` as evenly as possible. */
export function sliceClients(clients: number, senders: number, workers: number): WorkerSlice[] {
  const count = Math.max(1, Math.min(workers, clients));
  const slices: WorkerSlice[] = [];
  let firstClient = 0;
  let firstSender = 0;
  for (let worker = 0; worker < count; worker++) {
    const clientCount = evenShare(clients, count, worker);
    // Both shares put the remainder on the first workers, so a worker never has more senders than clients.
    const senderCount = evenShare(senders, count, worker);
    slices.push({ worker, firstClient, clientCount, firstSender, senderCount });
    firstClient += clientCount;
    firstSender += senderCount;
  }
  return slices;
}

function evenShare(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

/** Lines a worker sends at `linesPerSecond` for `durationMs` (the Pacer uses the same rounding). */
export function linesFor(linesPerSecond: number, durationMs: number): number {
  return linesPerSecond > 0 ? Math.round((linesPerSecond * durationMs) / 1000) : 0;
}

/** A worker's share of the total line rate: proportional to the senders it owns. */
export function workerLineRate(
  totalLinesPerSecond: number,
  slice: WorkerSlice,
  totalSenders: number,
): number {
  return totalSenders === 0 ? 0 : (totalLinesPerSecond * slice.senderCount) / totalSenders;
}

/**
 * The most lines any single sender sends in a step: a worker hands its lines to its senders in turn, so a
 * sender sends at most ceil(worker lines / worker senders).
 */
export function maxSeqFor(
  slices: readonly WorkerSlice[],
  totalLinesPerSecond: number,
  durationMs: number,
  totalSenders: number,
): number {
  let max = 1;
  for (const slice of slices) {
    if (slice.senderCount === 0) continue;
    const lines = linesFor(workerLineRate(totalLinesPerSecond, slice, totalSenders), durationMs);
    max = Math.max(max, Math.ceil(lines / slice.senderCount));
  }
  return max;
}

/**
 * The source address of client `index`. On loopback the clients are spread over 127.0.0.2, 127.0.0.3, ...
 * with at most `perAddress` each: one address has only ~28,000 ephemeral ports (32768-60999 here).
 * Against a relay elsewhere every client binds the wildcard address.
 */
export function sourceHost(index: number, perAddress: number, loopback: boolean): string {
  if (!loopback) return '0.0.0.0';
  const offset = 2 + Math.floor(index / perAddress);
  if (offset > 0xfffffe) throw new RangeError(`client ${index} is beyond 127.255.255.254`);
  return `127.${(offset >>> 16) & 0xff}.${(offset >>> 8) & 0xff}.${offset & 0xff}`;
}

/** How many distinct source addresses `clients` clients need. */
export function addressCount(clients: number, perAddress: number): number {
  return Math.ceil(clients / perAddress);
}

/** The room an idle client is parked in: consecutive clients fill rooms of `roomSize`. */
export function idleRoom(index: number, roomSize: number): string {
  return `#idle${Math.floor(index / roomSize)}`;
}

/** Every bench client's nickname: short, unique, and never a look-alike of another (digits only). */
export function benchNick(index: number): string {
  return `n${index}`;
}
