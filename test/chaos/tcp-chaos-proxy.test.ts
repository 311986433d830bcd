/** `chaos --tcp`'s stream fault model (pure) and its proxy over real sockets: order kept, time added. */
import assert from 'node:assert/strict';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../src/chaos/prng.ts';
import { deliveryTime } from '../../src/chaos/stream-fault-model.ts';
import { TcpChaosProxy } from '../../src/chaos/tcp-chaos-proxy.ts';
import { TcpPeer } from '../support/tcp-peer.ts';

describe('the stream fault model', () => {
  it('never delivers a chunk before the one read before it, whatever the jitter', () => {
    const random = mulberry32(1);
    const settings = { delayMs: 10, jitterMs: 50, stall: 0.1, stallMs: 200 };
    let previous = 0;
    let stalls = 0;
    for (let now = 0; now < 10_000; now += 3) {
      const { at, stalled } = deliveryTime(settings, random, now, previous);
      assert.ok(at >= previous && at >= now);
      if (stalled) {
        stalls++;
        assert.ok(at >= now + 200);
      }
      previous = at;
    }
    assert.ok(stalls > 200 && stalls < 470, `${stalls} stalls of 3334`);
  });
});

describe('TcpChaosProxy', () => {
  it('forwards both ways in order, later by the delay, and closes with the other side', async (t) => {
    const echo = net.createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => echo.close(() => resolve())));
    const port = (echo.address() as net.AddressInfo).port;
    const proxy = await TcpChaosProxy.start({
      listen: { host: '127.0.0.1', port: 0 },
      target: { host: '127.0.0.1', port },
      faults: { delayMs: 30, jitterMs: 10, stall: 0, stallMs: 200 },
      seed: 5,
    });
    t.after(() => proxy.stop());
    const peer = await TcpPeer.connect(proxy.address.port);
    t.after(() => peer.close());
    const sent = performance.now();
    for (let i = 0; i < 50; i++) peer.write(`line ${i}\n`);
    await peer.expect('line 49');
    // Up and back down: at least twice the delay less the jitter.
    assert.ok(performance.now() - sent >= 40, `${performance.now() - sent} ms`);
    assert.deepEqual(
      peer.lines.items,
      Array.from({ length: 50 }, (_, i) => `line ${i}`),
    );
    peer.socket.end();
    await peer.closed;
    assert.equal(proxy.stats.connections, 1);
  });
});
