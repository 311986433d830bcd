/**
 * A worker's client sockets through the addon (see transport/native-receive.ts): the same sockets as
 * ClientFleet (bound to the client's source address, connected to the relay), but read with recvmmsg(2)
 * in batches, so that receiving, which every delivery costs the generator, stays well below what relaying
 * costs the relay; with node:dgram the generator was the bench's bottleneck.
 */
import type { NativeReceiveAddon, ReceiverHandle } from '../../transport/native-receive.ts';
import type { WorkerSetup } from '../messages.ts';
import { sourceHost } from '../model/plan.ts';
import type { Fleet, FleetHandler } from './fleet.ts';

/** Bytes kept of each datagram: more than any relayed bench line (longer notices are cut; only their start is read). */
const SLOT_SIZE = 1024;
/** Datagrams held for one JavaScript call: a loop turn's worth at the highest rates measured. */
const SLOTS = 1024;

export class NativeClientFleet implements Fleet {
  private handler: FleetHandler = () => {};
  private readonly data: Buffer;
  private readonly lengths = new Int32Array(SLOTS);
  private readonly sockets = new Int32Array(SLOTS);
  /** Each datagram's receive time from the kernel: a line's latency then excludes our own loop's delays. */
  private readonly times = new Float64Array(SLOTS);
  private readonly receiver: ReceiverHandle;
  private closed = false;
  sendErrors = 0;

  private constructor(
    private readonly addon: NativeReceiveAddon,
    private readonly fds: Int32Array,
  ) {
    this.data = Buffer.alloc(SLOTS * SLOT_SIZE);
    this.receiver = addon.startReceiving(
      fds,
      SLOT_SIZE,
      this.data,
      this.lengths,
      this.sockets,
      (count) => this.batch(count),
      this.times,
    );
  }

  /** Opens every client's socket; throws (closing what it opened) if one cannot be opened. */
  static open(addon: NativeReceiveAddon, setup: WorkerSetup): NativeClientFleet {
    const fds = new Int32Array(setup.clientCount);
    for (let local = 0; local < setup.clientCount; local++) {
      const host = sourceHost(setup.firstClient + local, setup.perAddress, setup.loopback);
      const fd = addon.openClientSocket(host, setup.relayHost, setup.relayPort, setup.recvBufferSize);
      if (fd < 0) {
        for (const open of fds.subarray(0, local)) addon.closeSocket(open);
        throw new Error(`could not open client socket ${local} on ${host} (errno ${-fd})`);
      }
      fds[local] = fd;
    }
    return new NativeClientFleet(addon, fds);
  }

  get size(): number {
    return this.fds.length;
  }

  onMessage(handler: FleetHandler): void {
    this.handler = handler;
  }

  send(local: number, payload: string | Buffer): void {
    const fd = this.fds[local];
    if (fd === undefined || this.closed) return;
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (this.addon.sendOn(fd, bytes) < 0) this.sendErrors++;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.addon.stopReceiving(this.receiver);
    for (const fd of this.fds) this.addon.closeSocket(fd);
  }

  private batch(count: number): void {
    for (let k = 0; k < count; k++) {
      const start = k * SLOT_SIZE;
      const bytes = this.data.subarray(start, start + (this.lengths[k] ?? 0));
      this.handler(this.sockets[k] ?? 0, bytes, this.times[k]);
    }
  }
}
