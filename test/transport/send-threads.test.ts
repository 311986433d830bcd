/**
 * The relay's sender threads (the addon's startSendThreads, through UdpEndpoint's `sendThreads`): real
 * sockets on 127.0.0.1. Order per destination, exact counters, a drain on close, a full lane that drops
 * and counts, and the event-loop path when the addon is absent.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { nativeReceiveAddon } from '../../src/transport/native-receive.ts';
import { nativeSendThreads, socketFd } from '../../src/transport/native-send.ts';
import { UdpEndpoint } from '../../src/transport/udp.ts';
import { nativeSkip } from '../support/native-skip.ts';

const threads = nativeSendThreads();
const noThreads = nativeSkip(threads !== null);
const WAIT_MS = 5_000;

interface Receiver {
  readonly socket: dgram.Socket;
  readonly address: Address;
  readonly got: string[];
  /** Resolves once `count` datagrams have arrived; rejects after WAIT_MS. */
  receivedAll(count: number): Promise<void>;
}

async function receiver(): Promise<Receiver> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false, recvBufferSize: 4 << 20 });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const got: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  socket.on('message', (msg) => {
    got.push(msg.toString('utf8'));
    for (const w of waiters.filter((w) => got.length >= w.count)) w.resolve();
  });
  const receivedAll = (count: number): Promise<void> =>
    new Promise((resolve, reject) => {
      if (got.length >= count) return resolve();
      const timer = setTimeout(() => reject(new Error(`got ${got.length} of ${count}`)), WAIT_MS);
      waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  return { socket, address: { host: '127.0.0.1', port: socket.address().port }, got, receivedAll };
}

function lines(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `line ${from + i}\n`);
}

describe('sender threads', () => {
  it('every datagram arrives once and in order per destination; counters are exact after close', {
    skip: noThreads,
  }, async () => {
    let traced = 0;
    const endpoint = await UdpEndpoint.bind({
      host: '127.0.0.1',
      port: 0,
      sendThreads: 2,
      trace: () => {
        traced++;
      },
    });
    const receivers = await Promise.all(Array.from({ length: 6 }, receiver));
    try {
      assert.equal(endpoint.sendThreads, 2);
      const rounds = 300;
      let bytes = 0;
      for (let round = 0; round < rounds; round++) {
        const payload = Buffer.from(`line ${round}\n`);
        const to = receivers.map((r) => r.address);
        if (round % 3 === 0) {
          // The three ways to send all go through the threads, so they never overtake each other.
          for (const address of to) endpoint.sendUnawaited(address, payload);
        } else if (round % 3 === 1) {
          for (const address of to) endpoint.send(address, payload);
        } else {
          endpoint.sendBatch(
            to,
            Array.from(to, () => payload),
            to.length,
          );
        }
        bytes += payload.byteLength * to.length;
      }
      await Promise.all(receivers.map((r) => r.receivedAll(rounds)));
      for (const r of receivers) assert.deepEqual(r.got, lines(0, rounds));
      await endpoint.close();
      assert.deepEqual(endpoint.stats, {
        datagramsIn: 0,
        bytesIn: 0,
        datagramsOut: rounds * receivers.length,
        bytesOut: bytes,
        sendErrors: 0,
      });
      assert.equal(traced, rounds * receivers.length);
    } finally {
      for (const r of receivers) r.socket.close();
      await endpoint.close();
    }
  });

  it('close sends what the threads still hold before the socket closes', { skip: noThreads }, async () => {
    const endpoint = await UdpEndpoint.bind({ host: '127.0.0.1', port: 0, sendThreads: 1 });
    const receivers = await Promise.all(Array.from({ length: 2 }, receiver));
    try {
      const to = receivers.map((r) => r.address);
      const count = 2_000;
      for (let i = 0; i < count; i++) {
        const payload = Buffer.from(`line ${i}\n`);
        endpoint.sendBatch(to, [payload, payload], 2);
      }
      await endpoint.close(); // at once: most of the 4,000 datagrams are still queued
      await Promise.all(receivers.map((r) => r.receivedAll(count)));
      for (const r of receivers) assert.deepEqual(r.got, lines(0, count));
      assert.equal(endpoint.stats.datagramsOut, 2 * count);
      endpoint.sendUnawaited(to[0] as Address, Buffer.from('after close\n')); // ignored, never thrown
    } finally {
      for (const r of receivers) r.socket.close();
    }
  });

  it('without the addon the endpoint sends on the event loop and says so', async () => {
    const endpoint = await UdpEndpoint.bind({ host: '127.0.0.1', port: 0, native: null, sendThreads: 2 });
    const r = await receiver();
    try {
      assert.equal(endpoint.sendThreads, 0);
      endpoint.sendBatch([r.address, r.address], [Buffer.from('a\n'), Buffer.from('b\n')], 2);
      endpoint.sendUnawaited(r.address, Buffer.from('c\n'));
      await r.receivedAll(3);
      assert.deepEqual(r.got, ['a\n', 'b\n', 'c\n']);
    } finally {
      r.socket.close();
      await endpoint.close();
    }
  });

  it('a lane that would hold more than its limit drops the batch and counts it', {
    skip: noThreads,
  }, async () => {
    const addon = threads as NonNullable<typeof threads>;
    const r = await receiver();
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const handle = addon.startSendThreads(socketFd(socket) as number, 1, 2);
    try {
      const packed = addon.packAddress('127.0.0.1', r.address.port) as Buffer;
      const three = Buffer.concat([packed, packed, packed]);
      // Three datagrams for a lane that may hold two: none accepted, all three counted as dropped.
      assert.equal(addon.sendThreaded(handle, Buffer.from('x\n'), three, 3), 0);
      assert.equal(addon.sendThreaded(handle, Buffer.from('ok\n'), packed, 1), 1);
      await r.receivedAll(1);
      assert.deepEqual(r.got, ['ok\n']);
      addon.stopSendThreads(handle, 1_000);
      addon.stopSendThreads(handle, 1_000); // idempotent
      const [sent, bytes, failed, dropped, waiting] = addon.sendThreadStats(handle);
      assert.deepEqual([sent, bytes, failed, dropped, waiting], [1, 3, 0, 3, 0]);
      // After stop: dropped and counted, never sent.
      assert.equal(addon.sendThreaded(handle, Buffer.from('late\n'), packed, 1), 0);
      assert.equal(addon.sendThreadStats(handle)[3], 4);
    } finally {
      addon.stopSendThreads(handle, 0);
      socket.close();
      r.socket.close();
    }
  });

  it('refuses bad arguments with a TypeError', { skip: noThreads }, () => {
    const addon = threads as NonNullable<typeof threads>;
    assert.throws(() => addon.startSendThreads(0, 0, 10), TypeError);
    assert.throws(() => addon.startSendThreads(0, 17, 10), TypeError);
    assert.throws(() => addon.startSendThreads(-1, 1, 10), TypeError);
    const notAHandle = {} as Parameters<typeof addon.sendThreadStats>[0];
    assert.throws(() => addon.sendThreadStats(notAHandle), TypeError);
    // Another part's handle is refused too, never taken for sender threads.
    const receive = nativeReceiveAddon();
    if (receive !== null) {
      const slots = receive.receiveBatch;
      const other = receive.startReceiving(
        new Int32Array(0),
        16,
        new Uint8Array(slots * 16),
        new Int32Array(slots),
        new Int32Array(slots),
        () => {},
      );
      const wrongKind = other as unknown as Parameters<typeof addon.sendThreadStats>[0];
      assert.throws(() => addon.sendThreadStats(wrongKind), TypeError);
      assert.throws(() => addon.stopSendThreads(wrongKind, 0), TypeError);
      receive.stopReceiving(other);
    }
  });
});
