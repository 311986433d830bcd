import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { nativeSendAddon, socketFd } from '../../src/transport/native-send.ts';
import { type UdpBindOptions, UdpEndpoint } from '../../src/transport/udp.ts';
import { nativeSkip } from '../support/native-skip.ts';

const addon = process.env.UDPCHAT_NATIVE === 'off' ? null : nativeSendAddon();
const noAddon = nativeSkip(addon !== null);
const RECEIVERS = 5;
const PER_RECEIVER = 40; // 200 datagrams in one batch: more than one sendmmsg(2) of 64

interface Receiver {
  readonly socket: dgram.Socket;
  readonly address: Address;
  readonly got: string[];
  /** Resolves once what has arrived satisfies `done` (checked now and at each datagram). */
  until(done: (got: readonly string[]) => boolean): Promise<void>;
}

const ARRIVAL_WAIT_MS = 3_000;

async function receiver(): Promise<Receiver> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false, recvBufferSize: 1 << 20 });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const got: string[] = [];
  socket.on('message', (msg) => got.push(msg.toString('utf8')));
  const until = (done: (got: readonly string[]) => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      if (done(got)) return resolve();
      const timer = setTimeout(() => {
        socket.off('message', onMessage);
        reject(new Error(`the datagrams did not arrive within ${ARRIVAL_WAIT_MS} ms (got ${got.length})`));
      }, ARRIVAL_WAIT_MS);
      // Registered after the collecting listener, so `got` already holds this datagram.
      const onMessage = (): void => {
        if (!done(got)) return;
        clearTimeout(timer);
        socket.off('message', onMessage);
        resolve();
      };
      socket.on('message', onMessage);
    });
  return { socket, address: { host: '127.0.0.1', port: socket.address().port }, got, until };
}

/** A batch to several sockets (one shared payload per round, as a broadcast has): each arrives once, in order. */
async function batchArrives(native: UdpBindOptions['native'], expectNative: boolean): Promise<void> {
  const traced: string[] = [];
  const endpoint = await UdpEndpoint.bind({
    host: '127.0.0.1',
    port: 0,
    native,
    trace: (direction, peer, bytes) => traced.push(`${direction} ${peer.port} ${Buffer.from(bytes)}`),
  });
  const receivers = await Promise.all(Array.from({ length: RECEIVERS }, receiver));
  try {
    assert.equal(endpoint.batchesNatively, expectNative);
    const to: Address[] = [];
    const payloads: Uint8Array[] = [];
    let bytes = 0;
    for (let round = 0; round < PER_RECEIVER; round++) {
      const payload = new TextEncoder().encode(`line ${round} ${'x'.repeat(round)}\n`);
      for (const r of receivers) {
        to.push(r.address);
        payloads.push(payload);
        bytes += payload.byteLength;
      }
    }
    // Unreplyable (port 0): skipped and counted as an error, never sent, never traced.
    to.push({ host: '127.0.0.1', port: 0 });
    payloads.push(new TextEncoder().encode('never\n'));
    // The arrays may be longer than count: only the first `count` are sent.
    to.push(receivers[0]?.address as Address);
    payloads.push(new TextEncoder().encode('not sent\n'));
    endpoint.sendBatch(to, payloads, to.length - 1);

    const total = RECEIVERS * PER_RECEIVER;
    const last = `line ${PER_RECEIVER - 1} ${'x'.repeat(PER_RECEIVER - 1)}\n`;
    await Promise.all(receivers.map((r) => r.until((got) => got.includes(last))));
    const stats = endpoint.stats;
    const tracedBatch = [...traced];
    // A later datagram on the same path, from the same socket to the same socket, arrives after anything
    // the batch sent: once it is in, a duplicate (or a straggler) from the batch would be in too.
    const sentinel = new TextEncoder().encode('sentinel\n');
    endpoint.sendBatch(
      receivers.map((r) => r.address),
      receivers.map(() => sentinel),
      RECEIVERS,
    );
    await Promise.all(receivers.map((r) => r.until((got) => got.includes('sentinel\n'))));
    for (const r of receivers) {
      assert.deepEqual(r.got, [
        ...Array.from({ length: PER_RECEIVER }, (_, round) => `line ${round} ${'x'.repeat(round)}\n`),
        'sentinel\n',
      ]);
    }
    assert.deepEqual(stats, {
      datagramsIn: 0,
      bytesIn: 0,
      datagramsOut: total,
      bytesOut: bytes,
      sendErrors: 1,
    });
    assert.equal(tracedBatch.length, total);
    assert.equal(tracedBatch[0], `out ${receivers[0]?.address.port} line 0 \n`);
  } finally {
    for (const r of receivers) r.socket.close();
    await endpoint.close();
  }
}

describe('UdpEndpoint.sendBatch', () => {
  it('with the sendmmsg addon: every datagram arrives exactly once, in order; stats and trace exact', {
    skip: noAddon,
  }, async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }): void => {
      warnings.push(warning.code ?? warning.name);
    };
    process.on('warning', onWarning);
    try {
      await batchArrives(addon, true);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    // Reading the descriptor must not go through the deprecated socket._handle (DEP0112).
    assert.deepEqual(warnings, []);
  });

  it('through the JavaScript fallback (no addon): the same datagrams, stats and trace', async () => {
    await batchArrives(null, false);
  });

  it('the addon takes one payload for all, and reports errors as a negative errno', {
    skip: noAddon,
  }, async () => {
    const a = addon as NonNullable<typeof addon>;
    const r = await receiver();
    try {
      const packed = a.packAddress('127.0.0.1', r.address.port) as Buffer;
      assert.equal(packed.byteLength, a.addressSize);
      assert.equal(a.packAddress('not an address', 1), null);
      const sender = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', resolve));
      const fd = socketFd(sender);
      assert.equal(typeof fd, 'number');
      const addresses = Buffer.concat([packed, packed, packed]);
      assert.equal(a.sendBatch(fd as number, Buffer.from('same\n'), addresses, 3), 3);
      await r.until((got) => got.length === 3);
      assert.deepEqual(r.got, ['same\n', 'same\n', 'same\n']);
      sender.close();
      // A closed descriptor: nothing taken, -EBADF (9 on Linux).
      assert.equal(a.sendBatch(fd as number, Buffer.from('x'), packed, 1), -9);
      assert.throws(() => a.sendBatch(fd as number, Buffer.from('x'), packed, 2), TypeError);
    } finally {
      r.socket.close();
    }
  });
});
