import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScrapeHistory } from '../../src/top/history.ts';
import { parsePrometheusText } from '../../src/top/prometheus-text.ts';

function scrape(at: number, text: string) {
  return { at, metrics: parsePrometheusText(text) };
}

describe('rates from counter deltas', () => {
  it('needs two scrapes, then divides the increase by the seconds between them', () => {
    const history = new ScrapeHistory();
    history.push(scrape(0, 'c_total 100\nl_total{r="a"} 1\n'));
    assert.equal(history.rate('c_total'), undefined);
    history.push(scrape(2_000, 'c_total 300\nl_total{r="a"} 5\n'));
    assert.equal(history.rate('c_total'), 100);
    assert.equal(history.rate('l_total', { r: 'a' }), 2);
    assert.equal(history.rate('absent_total'), undefined);
  });

  it('a counter that went down means a restart: its new value is the increase', () => {
    const history = new ScrapeHistory();
    history.push(scrape(0, 'c_total 1000\n'));
    history.push(scrape(1_000, 'c_total 30\n'));
    assert.equal(history.rate('c_total'), 30);
  });

  it('keeps a bounded history of rates, oldest first, for sparklines', () => {
    const history = new ScrapeHistory(4);
    for (let i = 0; i < 6; i++) history.push(scrape(i * 1_000, `c_total ${i * i}\n`));
    // scrapes kept: 2,3,4,5 s with values 4, 9, 16, 25
    assert.deepEqual(history.rates('c_total'), [5, 7, 9]);
    assert.equal(history.latest?.metrics.value('c_total'), 25);
    assert.equal(history.rateOver('c_total', {}, 2), 8, '(25 - 9) / 2 s');
    assert.equal(history.rateOver('c_total', {}, 10), 7, 'as far back as the history goes');
  });
});
