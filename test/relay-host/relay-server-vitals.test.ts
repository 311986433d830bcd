import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, it } from 'node:test';
import { isHealthy } from '../../src/observability/metrics-endpoint.ts';
import { RelayServer } from '../../src/relay-host/relay-server.ts';
import { quietVitals } from './vitals-fixture.ts';

describe('RelayServer vitals, for /metrics and /healthz', () => {
  it('live socket counters, clients and rooms while running; not running once stopping', async () => {
    const server = await RelayServer.start({
      host: '127.0.0.1',
      port: 0,
      recvBufferSize: 1024 * 1024,
      sendBufferSize: 1024 * 1024,
    });
    const client = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    try {
      assert.deepEqual({ ...server.vitals(), tickOverdueMs: 0 }, quietVitals());
      assert.ok(isHealthy(server.vitals()));
      const welcomed = new Promise((resolve) => client.once('message', resolve));
      client.send('/join alice\n', server.address.port, '127.0.0.1');
      await welcomed;
      const vitals = server.vitals();
      assert.equal(vitals.clients, 1);
      assert.equal(vitals.rooms, 1);
      assert.equal(vitals.udp.datagramsIn, 1);
      assert.equal(vitals.udp.bytesIn, '/join alice\n'.length);
    } finally {
      client.close();
      const stopped = server.stop();
      assert.equal(server.vitals().running, false);
      assert.equal(isHealthy(server.vitals()), false);
      await stopped;
    }
  });
});
