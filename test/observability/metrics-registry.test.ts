import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RelayCounters } from '../../src/observability/metrics-counters.ts';
import { METRIC } from '../../src/observability/metrics-names.ts';
import { createRelayRegistry, type RelayMetricsSources } from '../../src/observability/metrics-registry.ts';
import type { Address } from '../../src/protocol/address.ts';
import type { RelayVitals } from '../../src/relay-host/relay-server.ts';
import { parsePrometheusText } from '../../src/top/prometheus-text.ts';
import { quietVitals } from '../relay-host/vitals-fixture.ts';

const A: Address = { host: '127.0.0.1', port: 40001 };

const VITALS: RelayVitals = quietVitals({
  udp: { datagramsIn: 120, bytesIn: 4_000, datagramsOut: 300, bytesOut: 9_000, sendErrors: 2 },
  clients: 7,
  rooms: 3,
});

function sources(
  counters: RelayCounters,
  vitals: () => RelayVitals | undefined = () => VITALS,
): RelayMetricsSources {
  return {
    counters,
    vitals,
    lag: () => ({ p99Ms: 1.5, maxMs: 12 }),
    now: () => 2_000,
    startedAtSeconds: 1_700_000_000,
  };
}

describe('the relay registry: plain counters exposed at scrape time', () => {
  it('exposes every documented metric, with its type, under the udpchat_ prefix', async () => {
    const text = await createRelayRegistry(sources(new RelayCounters(0))).metrics();
    for (const name of Object.values(METRIC)) {
      assert.match(text, new RegExp(`^# TYPE ${name} (counter|gauge)$`, 'm'), name);
      assert.ok(name.startsWith('udpchat_'));
    }
    assert.match(text, /^# TYPE udpchat_datagrams_received_total counter$/m);
    assert.match(text, /^# TYPE udpchat_clients gauge$/m);
  });

  it('reads the socket counters, the gauges and the event counts as they are at the scrape', async () => {
    const counters = new RelayCounters(0);
    const registry = createRelayRegistry(sources(counters));
    counters.record({ type: 'joined', address: A, nick: 'alice' });
    counters.record({ type: 'relayed', address: A, nick: 'alice', recipients: 4 });
    counters.record({ type: 'refused', address: A, reason: 'not-joined' });
    counters.record({ type: 'departed', address: A, nick: 'alice', reason: 'timed out' });
    const m = parsePrometheusText(await registry.metrics());
    assert.equal(m.value(METRIC.datagramsIn), 120);
    assert.equal(m.value(METRIC.bytesOut), 9_000);
    assert.equal(m.value(METRIC.sendErrors), 2);
    assert.equal(m.value(METRIC.clients), 7);
    assert.equal(m.value(METRIC.rooms), 3);
    assert.equal(m.value(METRIC.joins), 1);
    assert.equal(m.value(METRIC.linesRelayed), 1);
    assert.equal(m.value(METRIC.deliveries), 4);
    assert.equal(m.value(METRIC.refusals, { reason: 'not-joined' }), 1);
    assert.equal(m.value(METRIC.refusals, { reason: 'line-too-long' }), 0);
    assert.equal(m.value(METRIC.departures, { reason: 'timed-out' }), 1);
    assert.equal(m.value(METRIC.evictions), 1);
    assert.equal(m.value(METRIC.eventLoopLag, { stat: 'p99' }), 0.0015);
    assert.equal(m.value(METRIC.eventLoopLag, { stat: 'max' }), 0.012);
    assert.equal(m.value(METRIC.startTime), 1_700_000_000);
    assert.equal(m.value(METRIC.topTalkers, { nick: 'alice' }), 0.5, '1 line in 2 s');

    counters.record({ type: 'refused', address: A, reason: 'not-joined' });
    const again = parsePrometheusText(await registry.metrics());
    assert.equal(
      again.value(METRIC.refusals, { reason: 'not-joined' }),
      2,
      'a second scrape is not cumulative',
    );
    assert.equal(again.value(METRIC.joins), 1);
  });

  it('labels TCP and WebSocket connections and traffic by transport, and reports a transport that is off as absent', async () => {
    const tcp = {
      connections: 3,
      stats: { datagramsIn: 40, bytesIn: 800, datagramsOut: 90, bytesOut: 2_000, sendErrors: 1 },
    };
    const counters = new RelayCounters(0);
    const onlyTcp = parsePrometheusText(
      await createRelayRegistry(sources(counters, () => quietVitals({ tcp }))).metrics(),
    );
    assert.equal(onlyTcp.value(METRIC.streamConnections, { transport: 'tcp' }), 3);
    assert.equal(onlyTcp.value(METRIC.streamUnitsIn, { transport: 'tcp' }), 40);
    assert.equal(onlyTcp.value(METRIC.streamUnitsOut, { transport: 'tcp' }), 90);
    assert.equal(onlyTcp.value(METRIC.streamBytesIn, { transport: 'tcp' }), 800);
    assert.equal(onlyTcp.value(METRIC.streamBytesOut, { transport: 'tcp' }), 2_000);
    assert.equal(onlyTcp.value(METRIC.streamSendErrors, { transport: 'tcp' }), 1);
    assert.equal(onlyTcp.value(METRIC.streamConnections, { transport: 'ws' }), undefined, 'no --web');

    const ws = { connections: 5, stats: { ...tcp.stats, datagramsIn: 7 } };
    const both = parsePrometheusText(
      await createRelayRegistry(sources(counters, () => quietVitals({ tcp, ws }))).metrics(),
    );
    assert.equal(both.value(METRIC.streamConnections, { transport: 'ws' }), 5);
    assert.equal(both.value(METRIC.streamUnitsIn, { transport: 'ws' }), 7);
    assert.equal(both.value(METRIC.streamConnections, { transport: 'tcp' }), 3);
  });

  it('reports zeroes before the relay socket is bound', async () => {
    const m = parsePrometheusText(
      await createRelayRegistry(sources(new RelayCounters(0), () => undefined)).metrics(),
    );
    assert.equal(m.value(METRIC.datagramsIn), 0);
    assert.equal(m.value(METRIC.clients), 0);
  });

  it('exposes only the ten busiest nicks, and escapes label values', async () => {
    const counters = new RelayCounters(0);
    for (let i = 1; i <= 15; i++) {
      for (let n = 0; n < i; n++)
        counters.record({ type: 'relayed', address: A, nick: `n${i}`, recipients: 1 });
    }
    counters.record({ type: 'relayed', address: A, nick: 'q"u\\o\nte', recipients: 1 });
    const text = await createRelayRegistry(sources(counters)).metrics();
    const talkers = parsePrometheusText(text).series(METRIC.topTalkers);
    assert.equal(talkers.length, 10);
    assert.equal(talkers[0]?.labels.nick, 'n15');
    assert.ok(!talkers.some((t) => t.labels.nick === 'q"u\\o\nte'), 'one line is not a top-10 talker');

    const few = new RelayCounters(0);
    few.record({ type: 'relayed', address: A, nick: 'q"u\\o\nte', recipients: 1 });
    const escaped = await createRelayRegistry(sources(few)).metrics();
    assert.ok(escaped.includes('nick="q\\"u\\\\o\\nte"'), escaped);
    assert.equal(parsePrometheusText(escaped).series(METRIC.topTalkers)[0]?.labels.nick, 'q"u\\o\nte');
  });
});
