/**
 * The lossy-network simulator for serverless LAN chat: it joins the group the peers send to, and sends
 * each datagram on to the group they listen on, through the same pure fault model as the unicast proxy
 * (lost, duplicated, delayed, reordered). The bytes are never changed, so a group key still works.
 *
 * The socket is bound to the heard group's address, so (Linux) it is never handed its own copies: they go
 * to another group or port. Peers hear only those copies with `chat --multicast G:P --listen-group G2:P2`.
 */
import { randomInt } from 'node:crypto';
import { type Address, addressKey } from '../protocol/address.ts';
import { MulticastSocket } from '../transport/multicast-socket.ts';
import {
  type DirectionStats,
  emptyDirectionStats,
  FaultScheduler,
  type FaultStream,
} from './fault-scheduler.ts';
import { MAX_SEED, mulberry32 } from './prng.ts';
import type { MulticastChaosSettings } from './settings.ts';
import { traceOption } from './trace-option.ts';

export interface MulticastChaosHooks {
  /** One line per datagram in or out and one per fault decision (`--trace`). */
  readonly trace?: (line: string) => void;
}

export class MulticastChaosProxy {
  readonly stats: DirectionStats = emptyDirectionStats();
  private readonly stream: FaultStream;
  private readonly scheduler: FaultScheduler;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly socket: MulticastSocket,
    readonly settings: MulticastChaosSettings,
    readonly seed: number,
    trace: ((line: string) => void) | undefined,
  ) {
    this.stream = { random: mulberry32(seed), stats: this.stats };
    this.scheduler = new FaultScheduler(settings.faults, trace);
    socket.onDatagram((from, bytes) => this.heard(from, bytes));
  }

  static async start(
    settings: MulticastChaosSettings,
    hooks: MulticastChaosHooks = {},
  ): Promise<MulticastChaosProxy> {
    const socket = await MulticastSocket.open({
      group: settings.target,
      listenGroup: settings.group,
      interfaceAddress: settings.interfaceAddress,
      ttl: settings.ttl,
      ...traceOption(hooks.trace),
    });
    const seed = settings.seed ?? randomInt(MAX_SEED + 1);
    return new MulticastChaosProxy(socket, settings, seed, hooks.trace);
  }

  /** Closes the socket; delayed copies not yet sent are discarded. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.scheduler.cancelAll();
    await this.socket.flush();
    await this.socket.close();
  }

  private heard(from: Address, bytes: Uint8Array): void {
    if (this.stopping !== undefined) return;
    this.scheduler.forward(this.stream, `multicast ${addressKey(from)}`, bytes, () => {
      this.stats.forwarded++;
      this.socket.send(bytes);
    });
  }
}
