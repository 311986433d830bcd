import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricsSource } from '../../src/top/source-url.ts';

function metricsSourceUrl(text: string): string {
  return metricsSource.parse(text, '--metrics');
}

describe('udpchat top --metrics', () => {
  it('takes HOST:PORT as given to the relay, or the URL the relay prints', () => {
    assert.equal(metricsSourceUrl('127.0.0.1:9100'), 'http://127.0.0.1:9100/metrics');
    assert.equal(metricsSourceUrl('[::1]:9100'), 'http://[::1]:9100/metrics');
    assert.equal(metricsSourceUrl('http://127.0.0.1:9100/metrics'), 'http://127.0.0.1:9100/metrics');
    assert.equal(metricsSourceUrl('http://relay.example:9100'), 'http://relay.example:9100/metrics');
  });

  it('refuses port 0 and junk with a reason naming the flag', () => {
    for (const bad of ['127.0.0.1:0', '9100', 'http://']) {
      assert.throws(
        () => metricsSourceUrl(bad),
        (error: unknown) => error instanceof Error && /^--metrics[ :]/.test(error.message),
        bad,
      );
    }
  });
});
