import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseMachineTicks,
  parseStatSplit,
  parseStatTicks,
  parseStatus,
  parseUdpSnmp,
  readCpuMs,
  readMemory,
  udpBufferDrops,
} from '../../src/bench/model/proc-stats.ts';

describe('reading /proc', () => {
  it('takes utime + stime from /proc/<pid>/stat, even with spaces and parentheses in the name', () => {
    const stat = '4242 (node (relay) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 731 269 0 0 20 0 11 0 1 2 3';
    assert.equal(parseStatTicks(stat), 1000);
    assert.deepEqual(parseStatSplit(stat), { user: 731, system: 269 });
    assert.equal(parseStatTicks('garbage'), undefined);
  });

  it('takes VmRSS and VmHWM from /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  150000 kB\nThreads:\t11\n';
    assert.deepEqual(parseStatus(status), { rssKb: 150000, peakRssKb: 204800 });
  });

  it('takes the UDP drop counters from /proc/net/snmp', () => {
    const snmp = [
      'Ip: Forwarding DefaultTTL',
      'Ip: 1 64',
      'Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors',
      'Udp: 10 0 7 20 5 2 0',
      'UdpLite: InDatagrams NoPorts',
      'UdpLite: 0 0',
    ].join('\n');
    assert.deepEqual(parseUdpSnmp(snmp), { inErrors: 7, rcvbufErrors: 5, sndbufErrors: 2 });
  });

  it('counts receive and send buffer drops between two readings, or nothing without both', () => {
    const before = { inErrors: 10, rcvbufErrors: 7, sndbufErrors: 1 };
    const after = { inErrors: 15, rcvbufErrors: 11, sndbufErrors: 2 };
    assert.equal(udpBufferDrops(before, after), 5);
    assert.equal(udpBufferDrops(undefined, after), undefined);
  });

  it('takes the machine’s busy and soft-interrupt time from /proc/stat', () => {
    const stat = 'cpu  100 5 20 9000 30 1 7 2 50 0\ncpu0 50 2 10 4500 15 0 3 1 25 0\n';
    assert.deepEqual(parseMachineTicks(stat), { busy: 135, softirq: 7 });
    assert.equal(parseMachineTicks('intr 1 2 3'), undefined);
  });

  it('reads this very process', () => {
    assert.ok((readCpuMs(process.pid) ?? -1) >= 0);
    assert.ok((readMemory(process.pid)?.rssKb ?? 0) > 0);
  });
});
