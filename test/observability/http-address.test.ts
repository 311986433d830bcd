import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpUrl } from '../../src/observability/http-address.ts';

// `--metrics HOST:PORT` itself is parsed by the CLI's shared HOST:PORT parser: see test/cli/values.test.ts.
describe('metrics endpoint URLs', () => {
  it('formats URLs with brackets around IPv6 literals', () => {
    assert.equal(httpUrl({ host: '127.0.0.1', port: 9100 }, '/metrics'), 'http://127.0.0.1:9100/metrics');
    assert.equal(httpUrl({ host: '::1', port: 9100 }, '/healthz'), 'http://[::1]:9100/healthz');
  });
});
