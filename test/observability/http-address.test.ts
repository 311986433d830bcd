import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpUrl, parseHostPort } from '../../src/observability/http-address.ts';

describe('--metrics HOST:PORT', () => {
  it('takes an IPv4 address, a bracketed IPv6 address or a host name, and a port (0 = any)', () => {
    assert.deepEqual(parseHostPort('127.0.0.1:9100'), {
      ok: true,
      address: { host: '127.0.0.1', port: 9100 },
    });
    assert.deepEqual(parseHostPort('[::1]:0'), { ok: true, address: { host: '::1', port: 0 } });
    assert.deepEqual(parseHostPort('localhost:9100'), {
      ok: true,
      address: { host: 'localhost', port: 9100 },
    });
  });

  it('refuses a missing host, a bad port, an unbracketed IPv6 address and junk, saying why', () => {
    for (const bad of [
      '9100',
      ':9100',
      '127.0.0.1',
      '127.0.0.1:65536',
      '::1:9100',
      '[nope]:1',
      'a b:1',
      'x:-1',
    ]) {
      const result = parseHostPort(bad);
      assert.equal(result.ok, false, bad);
      if (!result.ok) assert.ok(result.message.length > 0);
    }
  });

  it('formats URLs with brackets around IPv6 literals', () => {
    assert.equal(httpUrl({ host: '127.0.0.1', port: 9100 }, '/metrics'), 'http://127.0.0.1:9100/metrics');
    assert.equal(httpUrl({ host: '::1', port: 9100 }, '/healthz'), 'http://[::1]:9100/healthz');
  });
});
