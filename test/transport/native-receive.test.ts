/**
 * The addon's batched receive (the bench's client sockets), on real sockets on 127.0.0.1: each socket's
 * datagrams arrive once, in order and attributed to it; a full set of slots is handed over before more
 * are read; long datagrams are cut at the slot size; bad arguments are refused.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, it } from 'node:test';
import { nativeReceiveAddon } from '../../src/transport/native-receive.ts';
import { nativeSkip } from '../support/native-skip.ts';

const addon = nativeReceiveAddon();
const noAddon = nativeSkip(addon !== null);
const WAIT_MS = 5_000;
const EINVAL = 22;
const EAFNOSUPPORT = 97;
const EBADF = 9;

interface Peer {
  readonly socket: dgram.Socket;
  readonly port: number;
  /** The source ports of the first `count` datagrams received. */
  sources(count: number): Promise<number[]>;
}

async function peer(): Promise<Peer> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const seen: number[] = [];
  let wake = (): void => {};
  socket.on('message', (_msg, rinfo) => {
    seen.push(rinfo.port);
    wake();
  });
  const sources = (count: number): Promise<number[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`got ${seen.length} of ${count}`)), WAIT_MS);
      wake = () => {
        if (seen.length < count) return;
        clearTimeout(timer);
        resolve(seen.slice(0, count));
      };
      wake();
    });
  return { socket, port: socket.address().port, sources };
}

interface Received {
  readonly bySocket: string[][];
  readonly batchSizes: number[];
  /** Resolves once `total` datagrams have been handed over; rejects after WAIT_MS. */
  all(total: number): Promise<void>;
}

type Addon = NonNullable<typeof addon>;

function collect(a: Addon, fds: Int32Array, slots: number, slotSize: number): Received & { stop(): void } {
  const data = new Uint8Array(slots * slotSize);
  const lengths = new Int32Array(slots);
  const sockets = new Int32Array(slots);
  const bySocket: string[][] = Array.from(fds, () => []);
  const batchSizes: number[] = [];
  let total = 0;
  let wake = (): void => {};
  const handle = a.startReceiving(fds, slotSize, data, lengths, sockets, (count) => {
    batchSizes.push(count);
    for (let k = 0; k < count; k++) {
      const start = k * slotSize;
      const text = Buffer.from(data.subarray(start, start + (lengths[k] ?? 0))).toString('latin1');
      bySocket[sockets[k] ?? -1]?.push(text);
    }
    total += count;
    wake();
  });
  const all = (want: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`received ${total} of ${want}`)), WAIT_MS);
      wake = () => {
        if (total < want) return;
        clearTimeout(timer);
        resolve();
      };
      wake();
    });
  return { bySocket, batchSizes, all, stop: () => a.stopReceiving(handle) };
}

function openClients(a: Addon, count: number, port: number): Int32Array {
  const fds = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const fd = a.openClientSocket('127.0.0.1', '127.0.0.1', port, 1 << 20);
    assert.ok(fd >= 0, `socket ${i} opened (${fd})`);
    fds[i] = fd;
  }
  return fds;
}

describe('the native batched receive', () => {
  it('delivers each socket’s datagrams once, in order and attributed to it', { skip: noAddon }, async () => {
    const a = addon as Addon;
    const relay = await peer();
    const fds = openClients(a, 4, relay.port);
    const received = collect(a, fds, 256, 512);
    try {
      for (const [i, fd] of fds.entries()) assert.equal(a.sendOn(fd, Buffer.from(`hello ${i}`)), 7);
      const ports = await relay.sources(4);
      assert.equal(new Set(ports).size, 4, 'four sockets, four source ports');
      const perSocket = 150;
      for (let n = 0; n < perSocket; n++) {
        for (const [i, port] of ports.entries()) relay.socket.send(`${i}:${n}`, port, '127.0.0.1');
      }
      await received.all(4 * perSocket);
      received.bySocket.forEach((texts, i) => {
        assert.deepEqual(
          texts,
          Array.from({ length: perSocket }, (_, n) => `${i}:${n}`),
        );
      });
    } finally {
      received.stop();
      received.stop(); // idempotent
      for (const fd of fds) a.closeSocket(fd);
      relay.socket.close();
    }
  });

  it('hands over a full set of slots before reading more, and cuts long datagrams', {
    skip: noAddon,
  }, async () => {
    const a = addon as Addon;
    const relay = await peer();
    const [fd] = openClients(a, 1, relay.port);
    const slots = a.receiveBatch;
    try {
      a.sendOn(fd as number, Buffer.from('hi'));
      const [port] = await relay.sources(1);
      // Queued before the receive starts, so the first turn finds all of them waiting.
      const count = 3 * slots + 5;
      for (let n = 0; n < count; n++) relay.socket.send(`${n}`, port as number, '127.0.0.1');
      relay.socket.send('x'.repeat(100), port as number, '127.0.0.1');
      await new Promise<void>((resolve) =>
        relay.socket.send('sync', port as number, '127.0.0.1', () => resolve()),
      );
      const received = collect(a, new Int32Array([fd as number]), slots, 32);
      try {
        await received.all(count + 2);
        assert.ok(received.batchSizes.every((size) => size >= 1 && size <= slots));
        assert.ok(received.batchSizes.length >= 4, `${received.batchSizes.length} batches of <= ${slots}`);
        const texts = received.bySocket[0] ?? [];
        assert.deepEqual(
          texts.slice(0, count),
          Array.from({ length: count }, (_, n) => `${n}`),
        );
        assert.equal(texts[count], 'x'.repeat(32), 'cut at the slot size');
        assert.equal(texts[count + 1], 'sync');
      } finally {
        received.stop();
      }
    } finally {
      a.closeSocket(fd as number);
      relay.socket.close();
    }
  });

  it('stamps each datagram with the kernel’s receive time, not the time JavaScript reads it', {
    skip: noAddon,
  }, async () => {
    const a = addon as Addon;
    const relay = await peer();
    const [fd] = openClients(a, 1, relay.port);
    try {
      a.sendOn(fd as number, Buffer.from('hi'));
      const [port] = await relay.sources(1);
      const count = 10;
      const before = process.hrtime.bigint();
      for (let n = 0; n < count; n++) relay.socket.send(`${n}`, port as number, '127.0.0.1');
      await new Promise<void>((resolve) =>
        relay.socket.send('sync', port as number, '127.0.0.1', () => resolve()),
      );
      const queued = process.hrtime.bigint();
      // The datagrams wait in the socket while this loop is held up for 30 ms (bounded: a fixed span).
      const heldUntil = queued + 30_000_000n;
      while (process.hrtime.bigint() < heldUntil) {}
      const slots = a.receiveBatch;
      const data = new Uint8Array(slots * 16);
      const lengths = new Int32Array(slots);
      const sockets = new Int32Array(slots);
      const times = new Float64Array(slots);
      const stamps: number[] = [];
      let readAt = 0n;
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`received ${stamps.length} of ${count + 1}`)),
          WAIT_MS,
        );
        const handle = a.startReceiving(
          new Int32Array([fd as number]),
          16,
          data,
          lengths,
          sockets,
          (got) => {
            readAt = process.hrtime.bigint();
            stamps.push(...times.subarray(0, got));
            if (stamps.length < count + 1) return;
            clearTimeout(timer);
            a.stopReceiving(handle);
            resolve();
          },
          times,
        );
      });
      await done;
      assert.ok(readAt >= heldUntil);
      for (const stamp of stamps) {
        assert.ok(
          stamp >= Number(before) - 1e6 && stamp <= Number(queued) + 1e6,
          `${stamp} within the sends`,
        );
      }
    } finally {
      a.closeSocket(fd as number);
      relay.socket.close();
    }
  });

  it('answers bad input with an errno or a TypeError, never a crash', { skip: noAddon }, () => {
    const a = addon as Addon;
    assert.equal(a.openClientSocket('not an address', '127.0.0.1', 9, 0), -EINVAL);
    assert.equal(a.openClientSocket('127.0.0.1', '::1', 9, 0), -EAFNOSUPPORT);
    assert.throws(() => a.openClientSocket('127.0.0.1', '127.0.0.1', 0, 0), TypeError);
    const fd = a.openClientSocket('127.0.0.1', '127.0.0.1', 9, 0);
    a.closeSocket(fd);
    assert.equal(a.sendOn(fd, Buffer.from('x')), -EBADF);
    const fds = new Int32Array([0]);
    const none = (): void => {};
    const small = new Int32Array(a.receiveBatch - 1);
    const enough = new Int32Array(a.receiveBatch);
    const data = new Uint8Array(a.receiveBatch * 16);
    assert.throws(() => a.startReceiving(fds, 16, data, small, small, none), TypeError);
    assert.throws(() => a.startReceiving(fds, 16, data, enough, small, none), TypeError);
    assert.throws(() => a.startReceiving(fds, 32, data, enough, enough, none), TypeError, 'data too short');
    const shortTimes = new Float64Array(a.receiveBatch - 1);
    assert.throws(
      () => a.startReceiving(fds, 16, data, enough, enough, none, shortTimes),
      TypeError,
      'times too short',
    );
    const notAHandle = {} as Parameters<typeof a.stopReceiving>[0];
    assert.throws(() => a.stopReceiving(notAHandle), TypeError);
  });
});
