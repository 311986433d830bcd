import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveSessionKeys, sharedSecret } from '../../../src/protocol/v2/keys.ts';
import { openAccept, openData } from '../../../src/protocol/v2/wire.ts';
import { formatVector, specVectors } from './spec-vectors.ts';
import { WIRE2_INPUTS, wire2Vectors } from './wire2-vectors.ts';

const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

function quoted(name: string): Uint8Array {
  const value = specVectors().get(name);
  assert.ok(value !== undefined && 'hex' in value, `the spec quotes ${name}`);
  return fromHex(value.hex);
}

describe('wire version 2 test vectors (Appendix A) are what the running code sends', () => {
  it('the recorded handshake, the derived keys, the DATA, CLOSE and REJECT 4', () => {
    const quotedVectors = specVectors();
    for (const [name, value] of wire2Vectors()) {
      assert.deepEqual(quotedVectors.get(name), value, `the spec should quote\n${formatVector(name, value)}`);
    }
  });

  it('an implementation that reads only the quoted bytes opens them with the quoted keys', () => {
    const shared = sharedSecret(WIRE2_INPUTS.clientPrivate, quoted('wire2 accept').subarray(19, 51));
    assert.ok(shared.ok);
    const keys = deriveSessionKeys(shared.secret, quoted('wire2 nonce'), quoted('wire2 session id'));
    assert.deepEqual(keys.clientToRelay, quoted('wire2 c2r key'));
    const accept = openAccept(quoted('wire2 accept'), keys);
    assert.ok(accept.ok);
    assert.equal(accept.packet.idleTimeoutMs, 30_000);
    assert.equal(accept.packet.keepAliveMs, 10_000);
    // The token in the ACCEPT (unmasked) is the one the REJECT 4 carries in clear.
    assert.deepEqual(accept.packet.resetToken, quoted('wire2 reject 4').subarray(12));
    const data = openData(quoted('wire2 data c2r #0'), keys.clientToRelay);
    assert.ok(data.ok);
    assert.deepEqual(data.packet.frames, [{ type: 'line', seq: 0, text: '/join alice' }]);
    const welcome = openData(quoted('wire2 data r2c #0'), keys.relayToClient);
    assert.ok(welcome.ok);
    assert.deepEqual(welcome.packet.ack, { next: 1, bitmap: 0 });
    assert.deepEqual(welcome.packet.frames, [{ type: 'line', seq: 0, text: '*** welcome, alice ***' }]);
  });
});
