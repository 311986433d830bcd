import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { httpUrl } from '../../src/observability/http-address.ts';
import { MetricsHttpServer, type MetricsRoutes } from '../../src/observability/http-metrics-server.ts';
import { degradedReason, HEALTH_TICK_GRACE_MS, isHealthy } from '../../src/observability/metrics-endpoint.ts';
import { quietVitals } from '../relay-host/vitals-fixture.ts';

async function serve(t: TestContext, routes: Partial<MetricsRoutes> = {}): Promise<string> {
  const server = await MetricsHttpServer.listen(
    { host: '127.0.0.1', port: 0 },
    {
      metrics: async () => 'udpchat_clients 3\n',
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      healthy: () => true,
      ...routes,
    },
  );
  t.after(() => server.close());
  assert.notEqual(server.address.port, 0, 'the real port is known');
  return httpUrl(server.address, '');
}

describe('the metrics HTTP server', () => {
  it('serves /metrics as Prometheus text', async (t) => {
    const base = await serve(t);
    const response = await fetch(`${base}/metrics`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(await response.text(), 'udpchat_clients 3\n');
  });

  it('answers /healthz 200 while the relay runs and 503 otherwise', async (t) => {
    let healthy = true;
    const base = await serve(t, { healthy: () => healthy });
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    healthy = false;
    const down = await fetch(`${base}/healthz`);
    assert.equal(down.status, 503);
    assert.equal(await down.text(), 'relay not running\n');
  });

  it('says degraded, still 200, while the relay serves without its cluster', async (t) => {
    let reason: string | null = 'cluster degraded: redis gone';
    const base = await serve(t, { degraded: () => reason });
    const degraded = await fetch(`${base}/healthz`);
    assert.equal(degraded.status, 200);
    assert.equal(await degraded.text(), 'degraded: cluster degraded: redis gone\n');
    reason = null;
    assert.equal(await (await fetch(`${base}/healthz`)).text(), 'ok\n');
  });

  it('serves nothing else: 404 for other paths, 405 for other methods, 500 if collecting fails', async (t) => {
    const base = await serve(t, {
      metrics: async () => {
        throw new Error('boom');
      },
    });
    assert.equal((await fetch(`${base}/`)).status, 404);
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    assert.equal((await fetch(`${base}/metrics`)).status, 500);
  });

  it('refuses to start on an address in use, so the relay can report it', async (t) => {
    const base = await serve(t);
    const port = Number(new URL(base).port);
    await assert.rejects(
      MetricsHttpServer.listen(
        { host: '127.0.0.1', port },
        {
          metrics: async () => '',
          contentType: 'text/plain',
          healthy: () => true,
        },
      ),
      /EADDRINUSE/,
    );
  });
});

describe('health', () => {
  const vitals = quietVitals;

  it('is healthy only while the socket is open and the reaper timer is on time', () => {
    assert.equal(isHealthy(vitals({})), true);
    assert.equal(isHealthy(undefined), false, 'not bound yet');
    assert.equal(isHealthy(vitals({ running: false })), false, 'shutting down');
    assert.equal(isHealthy(vitals({ tickOverdueMs: HEALTH_TICK_GRACE_MS })), false, 'the loop stalled');
  });

  it('names the cluster bus state when it is not connected, and nothing for a relay on its own', () => {
    assert.equal(degradedReason(vitals({})), null);
    assert.equal(degradedReason(vitals({ cluster: { state: 'connected', detail: '', pending: 0 } })), null);
    assert.equal(
      degradedReason(vitals({ cluster: { state: 'degraded', detail: 'connect ECONNREFUSED', pending: 4 } })),
      'cluster degraded: connect ECONNREFUSED',
    );
  });
});
