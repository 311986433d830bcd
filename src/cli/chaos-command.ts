/** `udpchat chaos`: a lossy-network simulator between chat clients and a relay, until SIGINT/SIGTERM. */
import { ChaosProxy, type ChaosStats, type DirectionStats } from '../chaos/chaos-proxy.ts';
import { MulticastChaosProxy } from '../chaos/multicast-chaos-proxy.ts';
import { TcpChaosProxy } from '../chaos/tcp-chaos-proxy.ts';
import { addressKey } from '../protocol/address.ts';
import {
  CHAOS_FLAGS,
  type ChaosCommandLine,
  chaosSettingsFromFlags,
  multicastChaosSettingsFromFlags,
  tcpChaosSettingsFromFlags,
} from './chaos-flags.ts';
import { defineCommand } from './command.ts';
import { joiningGroup } from './group-join.ts';
import { stopOnSignals, whenAborted } from './stop-signal.ts';

export const chaosCommand = defineCommand({
  name: 'chaos',
  summary: 'Forward UDP between clients and a relay with simulated loss, duplication, reordering and delay.',
  description: `Forwards UDP datagrams between clients and the server at --to, both ways, with simulated
    faults. Each client gets its own upstream socket (a fresh ephemeral port, like a NAT mapping); the
    server's replies on it go back to that client. Every fault is decided per datagram and per direction.`,
  flags: CHAOS_FLAGS,
  notes: `With --tcp it forwards TCP connections (a relay's --tcp-port, or its --web page and WebSocket)
    and only delays: each chunk by --delay +/- --jitter, in order, and with probability --stall holds it
    (and everything behind it) --stall-time longer, as a lost segment does until TCP retransmits it.

    P is a percentage (10%) or a fraction (0.1). D is a duration: 20ms, 0.5s, 2m, or a plain number
    of milliseconds. On SIGINT/SIGTERM it prints one summary line of counts per direction and exits 0.

    With --multicast GROUP:PORT it sits inside a serverless LAN chat instead: it joins that group, where
    the peers send, and sends each datagram with the same faults to the group at --to, where the peers
    listen (udpchat chat --multicast GROUP:PORT --listen-group <the --to group>). One fault stream for all
    senders; the bytes are never changed, so --group-key still works through it.`,
  run: runChaos,
});

async function runChaos(commandLine: ChaosCommandLine): Promise<number> {
  if (commandLine.flags.multicast !== undefined) return runMulticastChaos(commandLine);
  if (commandLine.flags.tcp) return runTcpChaos(commandLine);
  const settings = chaosSettingsFromFlags(commandLine);
  const proxy = await ChaosProxy.start(settings, traceHooks(commandLine));
  process.stdout.write(`chaos listening on udp/${proxy.address.port} -> ${addressKey(settings.target)}\n`);
  await whenAborted(stopOnSignals().signal);
  await proxy.stop();
  process.stdout.write(`${formatChaosSummary(proxy.stats, proxy.seed)}\n`);
  return 0;
}

async function runMulticastChaos(commandLine: ChaosCommandLine): Promise<number> {
  const settings = multicastChaosSettingsFromFlags(commandLine);
  const proxy = await joiningGroup(settings.group, settings.interfaceAddress, () =>
    MulticastChaosProxy.start(settings, traceHooks(commandLine)),
  );
  const { group, target } = settings;
  process.stdout.write(`chaos listening on multicast ${addressKey(group)} -> ${addressKey(target)}\n`);
  await whenAborted(stopOnSignals().signal);
  await proxy.stop();
  process.stdout.write(`chaos summary: multicast ${formatDirection(proxy.stats)}; seed=${proxy.seed}\n`);
  return 0;
}

function traceHooks(commandLine: ChaosCommandLine): { trace?: (line: string) => void } {
  return commandLine.flags.trace ? { trace: (line) => process.stderr.write(`${line}\n`) } : {};
}

async function runTcpChaos(commandLine: ChaosCommandLine): Promise<number> {
  const settings = tcpChaosSettingsFromFlags(commandLine);
  const proxy = await TcpChaosProxy.start(settings);
  process.stdout.write(`chaos listening on tcp/${proxy.address.port} -> ${addressKey(settings.target)}\n`);
  await whenAborted(stopOnSignals().signal);
  await proxy.stop();
  const { connections, chunks, stalled, bytes } = proxy.stats;
  process.stdout.write(
    `chaos summary: connections=${connections} chunks=${chunks} stalled=${stalled} bytes=${bytes}; seed=${proxy.seed}\n`,
  );
  return 0;
}

/**
 * e.g. `chaos summary: up received=10 forwarded=9 dropped=1 duplicated=0 reordered=0; down ...;
 * mappings opened=1 expired=0 failed=0 refused=0; seed=42` (one line; refused counts datagrams).
 */
export function formatChaosSummary(stats: ChaosStats, seed: number): string {
  return (
    `chaos summary: up ${formatDirection(stats.up)}; down ${formatDirection(stats.down)}; ` +
    `mappings opened=${stats.mappingsOpened} expired=${stats.mappingsExpired} failed=${stats.mappingFailures} ` +
    `refused=${stats.refused}; ` +
    `seed=${seed}`
  );
}

function formatDirection(stats: DirectionStats): string {
  return (
    `received=${stats.received} forwarded=${stats.forwarded} dropped=${stats.dropped} ` +
    `duplicated=${stats.duplicated} reordered=${stats.reordered}`
  );
}
