/** The human-readable report of an --idle-clients run, with the issue's goals checked. */
import type { IdleResult } from '../idle.ts';
import { num } from './report-text.ts';

export function formatIdleText(r: IdleResult): string {
  const lines = [
    `relay: ${r.relay}`,
    `generator receive: ${r.generatorReceive}`,
    `idle clients        ${num(r.joined)} joined of ${num(r.clients)} (${r.processes} processes, ` +
      `${r.sourceAddresses} source addresses, rooms of ${r.roomSize}) in ${r.joinSeconds.toFixed(1)} s`,
    `window              ${r.windowSeconds.toFixed(1)} s, pings every ${r.pingIntervalSeconds} s: ` +
      `${num(r.pingsSent)} sent, ${num(r.pongsReceived)} answered` +
      (r.kernelUdpDrops === null ? '' : `; kernel UDP drops ${num(r.kernelUdpDrops)} (whole machine)`),
    `relay memory        ${formatMemory(r)}`,
    `relay CPU           ${formatCpu(r)}`,
    `generator CPU       ${r.generatorCpuPercentOfCore.toFixed(1)} % of a core`,
  ];
  return `${lines.join('\n')}\n`;
}

function formatMemory(r: IdleResult): string {
  const m = r.relayMemory;
  if (m === null) return 'unknown (no pid)';
  const rssMb = m.rssKb / 1024;
  const verdict = rssMb <= r.goals.rssMb ? 'met' : `missed by ${(rssMb - r.goals.rssMb).toFixed(1)} MB`;
  return (
    `RSS ${rssMb.toFixed(1)} MB (peak ${(m.peakRssKb / 1024).toFixed(1)} MB, empty relay ` +
    `${(m.baselineRssKb / 1024).toFixed(1)} MB, ${num(m.bytesPerClient)} bytes per client)` +
    goalNote(r, `<= ${r.goals.rssMb} MB`, verdict)
  );
}

function formatCpu(r: IdleResult): string {
  const cpu = r.relayCpuPercentOfCore;
  if (cpu === null) return 'unknown (no pid)';
  const goal = r.goals.cpuPercentOfCore;
  const verdict = cpu <= goal ? 'met' : `missed by ${(cpu - goal).toFixed(1)} points`;
  return `${cpu.toFixed(1)} % of a core${goalNote(r, `<= ${goal} %`, verdict)}`;
}

/** The issue's goals are for 100,000 clients: judged only at that scale, merely named below it. */
function goalNote(r: IdleResult, goal: string, verdict: string): string {
  if (r.clients < r.goals.clients) return `; the goal for ${num(r.goals.clients)} clients is ${goal}`;
  return `; goal ${goal}: ${verdict}`;
}
