import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricsSourceUrl } from '../../src/top/source-url.ts';

describe('udpchat top --metrics', () => {
  it('takes HOST:PORT as given to the relay, or the URL the relay prints', () => {
    assert.deepEqual(metricsSourceUrl('127.0.0.1:9100'), { ok: true, url: 'http://127.0.0.1:9100/metrics' });
    assert.deepEqual(metricsSourceUrl('[::1]:9100'), { ok: true, url: 'http://[::1]:9100/metrics' });
    assert.deepEqual(metricsSourceUrl('http://127.0.0.1:9100/metrics'), {
      ok: true,
      url: 'http://127.0.0.1:9100/metrics',
    });
    assert.deepEqual(metricsSourceUrl('http://relay.example:9100'), {
      ok: true,
      url: 'http://relay.example:9100/metrics',
    });
  });

  it('refuses port 0 and junk with a reason', () => {
    assert.equal(metricsSourceUrl('127.0.0.1:0').ok, false);
    assert.equal(metricsSourceUrl('9100').ok, false);
    assert.equal(metricsSourceUrl('http://').ok, false);
  });
});
