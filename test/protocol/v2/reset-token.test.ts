import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { RelayIdentity } from '../../../src/protocol/v2/relay-identity.ts';
import { resetToken, resetTokenMatches } from '../../../src/protocol/v2/reset-token.ts';
import { deterministicRandom, filled } from './deterministic-random.ts';

const SESSION = filled(8, 0x55);

describe('stateless reset tokens', () => {
  it('are HMAC-SHA256(reset key, label ‖ session id), truncated to 16 bytes', () => {
    const identity = RelayIdentity.generate(deterministicRandom('relay').random);
    const expected = createHmac('sha256', identity.resetKey.export())
      .update('udpchat wire3 reset')
      .update(SESSION)
      .digest()
      .subarray(0, 16);
    assert.deepEqual(resetToken(identity.resetKey, SESSION), new Uint8Array(expected));
  });

  it('a restarted relay (same identity file) derives the same token; another relay or session does not', () => {
    const before = RelayIdentity.generate(deterministicRandom('relay').random);
    const after = RelayIdentity.fromPem(before.toPem());
    assert.ok(after !== null);
    const token = resetToken(before.resetKey, SESSION);
    assert.deepEqual(resetToken(after.resetKey, SESSION), token);
    const stranger = RelayIdentity.generate(deterministicRandom('other relay').random);
    assert.notDeepEqual(resetToken(stranger.resetKey, SESSION), token);
    assert.notDeepEqual(resetToken(before.resetKey, filled(8, 0x56)), token);
  });

  it('a client accepts exactly its token', () => {
    const identity = RelayIdentity.generate(deterministicRandom('relay').random);
    const token = resetToken(identity.resetKey, SESSION);
    assert.equal(resetTokenMatches(token, new Uint8Array(token)), true);
    const altered = new Uint8Array(token);
    altered[15] = (altered[15] ?? 0) ^ 1;
    assert.equal(resetTokenMatches(token, altered), false);
    assert.equal(resetTokenMatches(token, token.subarray(0, 15)), false);
    assert.equal(resetTokenMatches(new Uint8Array(0), new Uint8Array(0)), false);
  });
});
