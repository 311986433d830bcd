import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const require = createRequire(import.meta.url);
const pkg = require('../package.json') as { exports: { '.': { import: string } } };

describe('the package entry point', () => {
  it('the built main module exports the library API', async () => {
    const api = (await import(new URL(`../${pkg.exports['.'].import}`, import.meta.url).href)) as Record<
      string,
      unknown
    >;
    for (const name of [
      'ChatClient',
      'ClientSession',
      'LanChat',
      'LanPeer',
      'Relay',
      'RelayServer',
      'UdpEndpoint',
      'LineCarrier',
      'V2RelayEndpoint',
      'V2ClientConnection',
      'sanitizeText',
      'checkNick',
    ]) {
      assert.equal(typeof api[name], 'function', name);
    }
  });
});
