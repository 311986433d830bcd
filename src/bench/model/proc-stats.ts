/**
 * What Linux says about a process and about UDP: CPU time from /proc/<pid>/stat (utime + stime, all
 * threads), memory from /proc/<pid>/status (VmRSS, VmHWM) and the kernel's UDP drop counters from
 * /proc/net/snmp. The parsers are pure; the readers return undefined where /proc is missing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface MemoryUse {
  readonly rssKb: number;
  /** The peak resident set size ("high water mark"). */
  readonly peakRssKb: number;
}

export interface UdpCounters {
  readonly inErrors: number;
  readonly rcvbufErrors: number;
  readonly sndbufErrors: number;
}

/** The whole machine's CPU time (every core) from the first line of /proc/stat, in clock ticks. */
export interface MachineTicks {
  /** Everything but idle and iowait. */
  readonly busy: number;
  /** Time in soft interrupts: on loopback much of a datagram's delivery runs there, charged to no process. */
  readonly softirq: number;
}

export function parseMachineTicks(stat: string): MachineTicks | undefined {
  const fields = /^cpu\s+(.*)$/m.exec(stat)?.[1]?.trim().split(/\s+/).map(Number);
  if (fields === undefined || fields.length < 7 || !fields.every(Number.isFinite)) return undefined;
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: user + nice + system + irq + softirq + steal, softirq };
}

/** utime + stime in clock ticks. The command name (field 2) may hold spaces and parentheses, so the
 * fields are counted from the last ')'. */
export function parseStatTicks(stat: string): number | undefined {
  const split = parseStatSplit(stat);
  return split === undefined ? undefined : split.user + split.system;
}

/** utime and stime apart, in clock ticks: on loopback most of a delivery is the kernel's (system) time. */
export function parseStatSplit(stat: string): { readonly user: number; readonly system: number } | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ')' come field 3 (state) onwards; utime and stime are fields 14 and 15.
  const fields = stat.slice(close + 2).split(' ');
  const user = Number(fields[14 - 3]);
  const system = Number(fields[15 - 3]);
  return Number.isFinite(user) && Number.isFinite(system) ? { user, system } : undefined;
}

export function parseStatus(status: string): MemoryUse | undefined {
  const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
  if (rss === null || hwm === null) return undefined;
  return { rssKb: Number(rss[1]), peakRssKb: Number(hwm[1]) };
}

/** The `Udp:` header and value lines of /proc/net/snmp. */
export function parseUdpSnmp(snmp: string): UdpCounters | undefined {
  const lines = snmp.split('\n').filter((l) => l.startsWith('Udp: '));
  const names = lines[0]?.split(/\s+/);
  const values = lines[1]?.split(/\s+/);
  if (names === undefined || values === undefined) return undefined;
  const get = (name: string): number => Number(values[names.indexOf(name)] ?? Number.NaN);
  const counters = {
    inErrors: get('InErrors'),
    rcvbufErrors: get('RcvbufErrors'),
    sndbufErrors: get('SndbufErrors'),
  };
  return Object.values(counters).every(Number.isFinite) ? counters : undefined;
}

/** Datagrams dropped for full socket buffers (receive or send) between two readings. */
export function udpBufferDrops(
  before: UdpCounters | undefined,
  after: UdpCounters | undefined,
): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  return after.rcvbufErrors - before.rcvbufErrors + (after.sndbufErrors - before.sndbufErrors);
}

let ticksPerSecond: number | undefined;

/** USER_HZ: 100 on every mainstream Linux, asked once to be sure. */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The process's CPU time so far (user + system, every thread) in ms. */
export function readCpuMs(pid: number): number | undefined {
  const ticks = parseStatTicks(readProc(`/proc/${pid}/stat`) ?? '');
  return ticks === undefined ? undefined : (ticks * 1000) / clockTicksPerSecond();
}

/** The process's system (kernel) CPU time so far, every thread, in ms. */
export function readSystemCpuMs(pid: number): number | undefined {
  const split = parseStatSplit(readProc(`/proc/${pid}/stat`) ?? '');
  return split === undefined ? undefined : (split.system * 1000) / clockTicksPerSecond();
}

/** The whole machine's busy and soft-interrupt CPU time so far, in ms (summed over cores). */
export function readMachineCpuMs(): { busy: number; softirq: number } | undefined {
  const ticks = parseMachineTicks(readProc('/proc/stat') ?? '');
  if (ticks === undefined) return undefined;
  const toMs = 1000 / clockTicksPerSecond();
  return { busy: ticks.busy * toMs, softirq: ticks.softirq * toMs };
}

export function readMemory(pid: number): MemoryUse | undefined {
  return parseStatus(readProc(`/proc/${pid}/status`) ?? '');
}

export function readUdpCounters(): UdpCounters | undefined {
  return parseUdpSnmp(readProc('/proc/net/snmp') ?? '');
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
