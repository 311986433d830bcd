import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { METRIC } from '../../src/observability/metrics-names.ts';
import { displayWidth } from '../../src/terminal/width.ts';
import { ScrapeHistory } from '../../src/top/history.ts';
import { parsePrometheusText } from '../../src/top/prometheus-text.ts';
import { renderView } from '../../src/top/render.ts';
import { buildView, type TopView } from '../../src/top/view-model.ts';

function exposition(seconds: number): string {
  return [
    `${METRIC.datagramsIn} ${1_000 + 500 * seconds}`,
    `${METRIC.datagramsOut} ${2_000 + 1_500 * seconds}`,
    `${METRIC.bytesIn} ${40_000 + 20_480 * seconds}`,
    `${METRIC.bytesOut} ${80_000 + 61_440 * seconds}`,
    `${METRIC.linesRelayed} ${900 + 480 * seconds}`,
    `${METRIC.deliveries} ${1_800 + 1_440 * seconds}`,
    `${METRIC.sendErrors} 0`,
    `${METRIC.throttled} ${4 * seconds}`,
    `${METRIC.joins} 12`,
    `${METRIC.evictions} 2`,
    `${METRIC.clients} 10`,
    `${METRIC.rooms} 3`,
    `${METRIC.startTime} 1000`,
    `${METRIC.eventLoopLag}{stat="p99"} 0.0021`,
    `${METRIC.eventLoopLag}{stat="max"} 0.0153`,
    `${METRIC.refusals}{reason="not-joined"} 5`,
    `${METRIC.refusals}{reason="line-too-long"} ${2 * seconds}`,
    `${METRIC.refusals}{reason="banned"} 0`,
    `${METRIC.topTalkers}{nick="bob"} 40`,
    `${METRIC.topTalkers}{nick="alice"} 120.5`,
    `${METRIC.topTalkers}{nick="carol"} 1`,
  ].join('\n');
}

function loadedView(scrapes = 3): TopView {
  const history = new ScrapeHistory();
  for (let s = 0; s < scrapes; s++)
    history.push({ at: s * 1_000, metrics: parsePrometheusText(exposition(s)) });
  return buildView({
    source: 'http://127.0.0.1:9100/metrics',
    history,
    error: undefined,
    wallSeconds: 4_723,
    now: 2_000,
    intervalSeconds: 1,
  });
}

const strip = (line: string): string => line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe('the top view model', () => {
  it('takes gauges from the latest scrape and rates from the last two', () => {
    const view = loadedView();
    assert.equal(view.clients, 10);
    assert.equal(view.rooms, 3);
    assert.equal(view.uptimeSeconds, 3_723);
    assert.equal(view.lagP99Ms, 2.1);
    const rate = (label: string) => view.traffic.find((r) => r.label === label)?.rate;
    assert.equal(rate('datagrams in'), 500);
    assert.equal(rate('lines relayed'), 480);
    assert.deepEqual(view.traffic[0]?.history, [500, 500]);
    assert.equal(view.trouble.find((r) => r.label === 'throttled')?.rate, 4);
  });

  it('lists refusals that happened, most frequent first, rated over 10 s, and talkers by rate', () => {
    const view = loadedView();
    assert.deepEqual(
      view.refusals.map((r) => [r.reason, r.total, r.rate]),
      [
        ['not-joined', 5, 0],
        ['line-too-long', 4, 2],
      ],
    );
    assert.deepEqual(
      view.talkers.map((t) => t.nick),
      ['alice', 'bob', 'carol'],
    );
  });
});

describe('rendering the top screen', () => {
  it('says how old the figures are while the relay does not answer', () => {
    const history = new ScrapeHistory();
    history.push({ at: 1_000, metrics: parsePrometheusText(exposition(0)) });
    const view = buildView({
      source: 's',
      history,
      error: 'connection refused',
      wallSeconds: 0,
      now: 13_400,
      intervalSeconds: 1,
    });
    const text = renderView(view, { width: 80, colour: false, live: true }).join('\n');
    assert.match(text, /no answer \(connection refused\): figures below are 12 s old/);
    assert.match(text, /clients 10/);
  });

  it('shows the figures a person looks for', () => {
    const text = renderView(loadedView(), { width: 100, colour: false, live: false }).join('\n');
    assert.match(text, /udpchat top {2}http:\/\/127\.0\.0\.1:9100\/metrics +up 01:02:03/);
    assert.match(text, /clients 10 {2}rooms 3 {2}joins 12 {2}evictions 2 {2}lag p99 2\.1 ms max 15 ms/);
    assert.match(text, /datagrams in +500\/s +2,000 +▁*█+/);
    assert.match(text, /bytes out +60\.0 KiB\/s +198\.1 KiB/);
    assert.match(text, /lines relayed +480\/s +1,860/);
    assert.match(text, /throttled +4\.0\/s +8/);
    assert.match(text, / refusals +\/s \(10 s\) +total +top talkers +lines\/s/);
    assert.match(text, / not-joined +0 +5 +alice +121/);
    assert.match(text, / line-too-long +2\.0 +4 +bob +40/);
  });

  it('never writes past the width, in colour or not, on a wide or a narrow terminal', () => {
    for (const width of [40, 80, 132]) {
      for (const colour of [false, true]) {
        const lines = renderView(loadedView(), { width, height: 30, colour, live: true });
        for (const line of lines)
          assert.ok(displayWidth(strip(line)) <= width, `${width}: ${JSON.stringify(line)}`);
      }
    }
  });

  it('fits the height, cutting the lists first', () => {
    const lines = renderView(loadedView(), { width: 100, height: 16, colour: false, live: true });
    assert.ok(lines.length <= 16);
    assert.match(lines.join('\n'), /throttled/);
  });

  it('keeps escape sequences from the network off the terminal', () => {
    const history = new ScrapeHistory();
    history.push({ at: 0, metrics: parsePrometheusText(`${METRIC.topTalkers}{nick="a\\u001b"} 1\n`) });
    history.push({
      at: 1_000,
      metrics: parsePrometheusText(
        `${METRIC.topTalkers}{nick="a\u001b[2Jb"} 1\n${METRIC.refusals}{reason="r\u009b"} 1\n`,
      ),
    });
    const view = buildView({
      source: 'x',
      history,
      error: 'bad\u001b[31m',
      wallSeconds: 0,
      now: 0,
      intervalSeconds: 1,
    });
    const text = renderView(view, { width: 100, colour: false, live: false }).join('\n');
    assert.ok(!/[\u001b\u009b]/.test(text), JSON.stringify(text));
    assert.match(text, /a\?\[2Jb/);
  });

  it('lines the talkers up when their nicks hold emoji with modifiers, keycaps or flags', () => {
    const talkers = ['👍🏽bob', '1️⃣one', '🇫🇷fr', 'plain'];
    const exposition = talkers.map((nick, i) => `${METRIC.topTalkers}{nick="${nick}"} ${i + 1}`).join('\n');
    const history = new ScrapeHistory();
    history.push({ at: 0, metrics: parsePrometheusText(exposition) });
    history.push({ at: 1_000, metrics: parsePrometheusText(exposition) });
    const view = buildView({
      source: 'x',
      history,
      error: undefined,
      wallSeconds: 0,
      now: 0,
      intervalSeconds: 1,
    });
    const lines = renderView(view, { width: 80, colour: false, live: false });
    const rows = lines.filter((line) => talkers.some((nick) => line.includes(nick)));
    assert.equal(rows.length, talkers.length);
    // 40 columns of refusals, then the nick padded to 28 and its rate right-aligned in 10.
    for (const row of rows) assert.equal(displayWidth(row), 78, JSON.stringify(row));
  });

  it('says so when the relay cannot be reached', () => {
    const view = buildView({
      source: 'http://127.0.0.1:1/metrics',
      history: new ScrapeHistory(),
      error: 'connection refused',
      wallSeconds: 0,
      now: 0,
      intervalSeconds: 1,
    });
    const text = renderView(view, { width: 80, colour: false, live: true }).join('\n');
    assert.match(text, /cannot reach the relay \(connection refused\): is it running with --metrics\?$/m);
    assert.match(text, /q quits/);
  });
});
