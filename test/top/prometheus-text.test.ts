import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLabels, parsePrometheusText, parseSampleLine } from '../../src/top/prometheus-text.ts';

const EXPOSITION = `# HELP udpchat_refusals_total Lines or datagrams refused with an error reply, by reason.
# TYPE udpchat_refusals_total counter
udpchat_refusals_total{reason="not-joined"} 3
udpchat_refusals_total{reason="line-too-long"} 0

# TYPE udpchat_clients gauge
udpchat_clients 42
udpchat_top_talker_lines_per_second{nick="alice"} 12.5
udpchat_event_loop_lag_seconds{stat="p99"} 1.5e-3
`;

describe('reading Prometheus text', () => {
  it('reads samples with and without labels, skipping comments and blank lines', () => {
    const m = parsePrometheusText(EXPOSITION);
    assert.equal(m.value('udpchat_clients'), 42);
    assert.equal(m.value('udpchat_refusals_total', { reason: 'not-joined' }), 3);
    assert.equal(m.value('udpchat_refusals_total', { reason: 'line-too-long' }), 0);
    assert.equal(m.value('udpchat_event_loop_lag_seconds', { stat: 'p99' }), 0.0015);
    assert.equal(m.series('udpchat_refusals_total').length, 2);
    assert.equal(m.value('udpchat_missing'), undefined);
    assert.equal(m.value('udpchat_refusals_total', { reason: 'banned' }), undefined);
  });

  it('unescapes label values: backslash, quote and newline', () => {
    assert.deepEqual(parseLabels('nick="q\\"u\\\\o\\nte",b="x"'), { nick: 'q"u\\o\nte', b: 'x' });
    const sample = parseSampleLine('m{nick="a} 9",x="}"} 7');
    assert.deepEqual(sample, { name: 'm', labels: { nick: 'a} 9', x: '}' }, value: 7 });
  });

  it('reads NaN, +Inf, -Inf, exponents and a trailing timestamp', () => {
    assert.ok(Number.isNaN(parseSampleLine('m NaN')?.value));
    assert.equal(parseSampleLine('m +Inf')?.value, Number.POSITIVE_INFINITY);
    assert.equal(parseSampleLine('m -Inf')?.value, Number.NEGATIVE_INFINITY);
    assert.equal(parseSampleLine('m 1e3 1700000000000')?.value, 1000);
    assert.equal(parseSampleLine('m{a="b",} 2')?.value, 2, 'a trailing comma is allowed');
  });

  it('skips malformed lines rather than failing the scrape', () => {
    for (const bad of ['m', 'm abc', '9m 1', 'm{a=b} 1', 'm{a="b" 1', 'm{a="b"} 1 2 3']) {
      assert.equal(parseSampleLine(bad), undefined, bad);
    }
    const m = parsePrometheusText('garbage here\nm 1\n{} 2\n');
    assert.equal(m.value('m'), 1);
  });
});
