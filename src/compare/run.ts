/**
 * `udpchat compare`'s run: for each transport a fresh relay (so its memory and CPU are that transport's
 * alone), the fault model in between, and the conversation (conversation.ts). Under `netns` this runs
 * inside the namespace already made (the command re-runs itself there); under `chaos` the chaos proxies
 * stand between the clients and the relay: UDP datagrams are lost and delayed, TCP and WebSocket streams
 * delayed and stalled.
 */
import { ChaosProxy } from '../chaos/chaos-proxy.ts';
import { DEFAULT_STALL_MS, defaultReorderHoldMs } from '../chaos/settings.ts';
import { TcpChaosProxy } from '../chaos/tcp-chaos-proxy.ts';
import { type CutOff, runTransport, type TransportPorts, type TransportResult } from './conversation.ts';
import { cutOffPort } from './netns.ts';
import { CompareRelay } from './relay-child.ts';
import type { CompareSettings, FaultModel } from './settings.ts';

export interface CompareRun {
  readonly model: FaultModel;
  /** The fault model in words, for the report. */
  readonly modelText: string;
  readonly settings: CompareSettings;
  readonly results: readonly TransportResult[];
}

export async function runComparison(
  settings: CompareSettings,
  model: FaultModel,
  progress: (line: string) => void,
): Promise<CompareRun> {
  const results: TransportResult[] = [];
  for (const transport of settings.transports) {
    progress(`${transport}: running`);
    const relay = await CompareRelay.start(settings.deadAfterMs);
    try {
      const result =
        model === 'netns'
          ? await runTransport(transport, settings, relay.ports, relay.pid, cutOffPort satisfies CutOff)
          : await throughChaos(settings, relay.ports, (ports) =>
              runTransport(transport, settings, ports, relay.pid, null),
            );
      results.push(result);
    } finally {
      await relay.stop();
    }
  }
  return { model, modelText: describeModel(model, settings), settings, results };
}

/** The chaos proxies in front of the relay's three listeners for the length of `body`. */
async function throughChaos<T>(
  settings: CompareSettings,
  relay: TransportPorts,
  body: (ports: TransportPorts) => Promise<T>,
): Promise<T> {
  const loopback = '127.0.0.1';
  const udp = await ChaosProxy.start({
    listen: { host: loopback, port: 0 },
    target: { host: loopback, port: relay.udp },
    faults: {
      loss: settings.loss,
      duplicate: 0,
      reorder: 0,
      delayMs: settings.delayMs,
      jitterMs: settings.jitterMs,
      reorderHoldMs: defaultReorderHoldMs(settings.jitterMs),
    },
    seed: settings.seed,
    mappingTimeoutMs: 60_000,
    maxMappings: 4096,
  });
  const stream = (port: number): Promise<TcpChaosProxy> =>
    TcpChaosProxy.start({
      listen: { host: loopback, port: 0 },
      target: { host: loopback, port },
      faults: {
        delayMs: settings.delayMs,
        jitterMs: settings.jitterMs,
        stall: settings.loss,
        stallMs: DEFAULT_STALL_MS,
      },
      seed: settings.seed,
    });
  const tcp = await stream(relay.tcp);
  const web = await stream(relay.web);
  try {
    return await body({ udp: udp.address.port, tcp: tcp.address.port, web: web.address.port });
  } finally {
    await Promise.all([udp.stop(), tcp.stop(), web.stop()]);
  }
}

function describeModel(model: FaultModel, settings: CompareSettings): string {
  const percent = `${+(settings.loss * 100).toFixed(2)}%`;
  if (model === 'netns')
    return (
      `netns: a network namespace whose loopback drops ${percent} of all packets at random ` +
      '(iptables statistic), both ways; TCP retransmits, v2 repairs, v1 loses'
    );
  return (
    `chaos: UDP through the chaos proxy (${percent} loss, ${settings.delayMs} ± ${settings.jitterMs} ms); ` +
    `TCP and WebSocket through chaos --tcp (${settings.delayMs} ± ${settings.jitterMs} ms, ${percent} of chunks ` +
    `stalled ${DEFAULT_STALL_MS} ms): a stand-in for real loss, used where network namespaces are not available`
  );
}
