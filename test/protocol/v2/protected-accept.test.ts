import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { fingerprint } from '../../../src/protocol/v2/fingerprint.ts';
import type { SessionSecrets } from '../../../src/protocol/v2/key-schedule.ts';
import { openAccept3, sealAccept3 } from '../../../src/protocol/v2/protected-accept.ts';
import { encodeExtensions } from '../../../src/protocol/v2/protected-handshake.ts';
import { RelayIdentity } from '../../../src/protocol/v2/relay-identity.ts';
import { resetToken } from '../../../src/protocol/v2/reset-token.ts';
import { transcriptHash } from '../../../src/protocol/v2/transcript.ts';
import { X25519Secret } from '../../../src/protocol/v2/x25519.ts';
import { deterministicRandom, filled } from './deterministic-random.ts';
import { flipBit, sampleHandshake } from './protected-samples.ts';

const NONE = new Uint8Array(0);
const raw = (key: KeyObject): string => key.export().toString('hex');

function secretsHex(secrets: SessionSecrets): string[] {
  return [
    raw(secrets.clientToRelay.key),
    Buffer.from(secrets.clientToRelay.iv).toString('hex'),
    raw(secrets.relayToClient.key),
    Buffer.from(secrets.relayToClient.iv).toString('hex'),
    raw(secrets.accept),
  ];
}

describe('ACCEPT, wire version 3', () => {
  const sample = sampleHandshake();
  const expect = { nonce: sample.nonce, ephemeral: sample.client, helloExtensions: NONE };

  it('is 189 bytes, and both sides derive the same keys', () => {
    assert.equal(sample.accept.byteLength, 189);
    assert.deepEqual(secretsHex(sample.clientSide.secrets), secretsHex(sample.relaySide.secrets));
    assert.deepEqual(sample.clientSide.sessionId, sample.sessionId);
    assert.deepEqual(sample.clientSide.identityKey, sample.identity.publicKey);
  });

  it('gives the client its timers and its reset token, which no observer can read', () => {
    const { params } = sample.clientSide;
    assert.equal(params.idleTimeoutMs, 30_000);
    assert.equal(params.keepAliveMs, 10_000);
    assert.deepEqual(params.resetToken, resetToken(sample.identity.resetKey, sample.sessionId));
    assert.deepEqual(sample.relaySide.resetToken, params.resetToken);
    assert.equal(Buffer.from(sample.accept).includes(Buffer.from(params.resetToken)), false);
  });

  it('carries the relay identity in clear, so a first-contact client can show its fingerprint', () => {
    assert.deepEqual(sample.accept.subarray(51, 83), sample.identity.publicKey);
    assert.match(fingerprint(sample.clientSide.identityKey), /^SHA256:/);
  });

  it('every one-bit change makes it fail: nonce, proof, key or sealed part', () => {
    const reasons = new Set<string>();
    for (let bit = 0; bit < sample.accept.byteLength * 8; bit++) {
      const opened = openAccept3(flipBit(sample.accept, bit), expect);
      assert.equal(opened.ok, false, `bit ${bit}`);
      if (!opened.ok) reasons.add(opened.reason);
    }
    for (const reason of ['nonce', 'proof', 'auth']) assert.ok(reasons.has(reason), reason);
  });

  it('an ACCEPT for another HELLO is refused by its nonce', () => {
    assert.deepEqual(openAccept3(sample.accept, { ...expect, nonce: filled(8, 0x99) }), {
      ok: false,
      reason: 'nonce',
    });
  });

  it('a man in the middle who swaps the relay’s ephemeral key but keeps its identity and proof is refused', () => {
    const forged = new Uint8Array(sample.accept);
    forged.set(X25519Secret.generate(deterministicRandom('mitm').random).publicKey, 19);
    assert.deepEqual(openAccept3(forged, expect), { ok: false, reason: 'proof' });
  });

  it('a man in the middle with its own identity opens, under its own identity key: only the pin can tell', () => {
    const mitm = RelayIdentity.generate(deterministicRandom('mitm identity').random);
    const sealed = sealAccept3({
      hello: { nonce: sample.nonce, publicKey: sample.client.publicKey, extensions: NONE },
      sessionId: sample.sessionId,
      ephemeral: X25519Secret.generate(deterministicRandom('mitm key').random),
      identity: mitm,
      idleTimeoutMs: 30_000,
      keepAliveMs: 10_000,
    });
    assert.ok(sealed.ok);
    const opened = openAccept3(sealed.datagram, expect);
    assert.ok(opened.ok);
    assert.notEqual(fingerprint(opened.identityKey), fingerprint(sample.identity.publicKey));
  });

  it('HELLO extensions are bound: an ACCEPT made for other extensions does not verify', () => {
    assert.deepEqual(
      openAccept3(sample.accept, {
        ...expect,
        helloExtensions: encodeExtensions([{ type: 1, value: NONE }]),
      }),
      {
        ok: false,
        reason: 'proof',
      },
    );
  });

  it('a proof-valid ACCEPT with a small-order ephemeral key is refused before any key is derived', () => {
    const mitm = RelayIdentity.generate(deterministicRandom('mitm identity').random);
    const smallOrder = new Uint8Array(32);
    const clear = new Uint8Array(sample.accept.subarray(0, 147));
    clear.set(smallOrder, 19);
    clear.set(mitm.publicKey, 51);
    const th = transcriptHash({
      nonce: sample.nonce,
      clientKey: sample.client.publicKey,
      helloExtensions: NONE,
      sessionId: sample.sessionId,
      relayEphemeralKey: smallOrder,
      relayIdentityKey: mitm.publicKey,
    });
    clear.set(mitm.prove(th), 83);
    const forged = new Uint8Array([...clear, ...sample.accept.subarray(147)]);
    assert.deepEqual(openAccept3(forged, expect), { ok: false, reason: 'key' });
  });

  it('the relay refuses to key a session to a small-order client key', () => {
    const sealed = sealAccept3({
      hello: { nonce: sample.nonce, publicKey: new Uint8Array(32), extensions: NONE },
      sessionId: sample.sessionId,
      ephemeral: sample.relay,
      identity: sample.identity,
      idleTimeoutMs: 30_000,
      keepAliveMs: 10_000,
    });
    assert.deepEqual(sealed, { ok: false, reason: 'key' });
  });

  it('zero timers are a broken relay’s: refused', () => {
    const sealed = sealAccept3({
      hello: { nonce: sample.nonce, publicKey: sample.client.publicKey, extensions: NONE },
      sessionId: sample.sessionId,
      ephemeral: sample.relay,
      identity: sample.identity,
      idleTimeoutMs: 30_000,
      keepAliveMs: 0,
    });
    assert.ok(sealed.ok);
    assert.deepEqual(openAccept3(sealed.datagram, expect), { ok: false, reason: 'params' });
  });

  it('ACCEPT extensions travel sealed, and the datagram grows with them', () => {
    const extensions = encodeExtensions([{ type: 0x7e, value: filled(10, 0xee) }]);
    const sealed = sealAccept3({
      hello: { nonce: sample.nonce, publicKey: sample.client.publicKey, extensions: NONE },
      sessionId: sample.sessionId,
      ephemeral: sample.relay,
      identity: sample.identity,
      idleTimeoutMs: 30_000,
      keepAliveMs: 10_000,
      extensions,
    });
    assert.ok(sealed.ok);
    assert.equal(sealed.datagram.byteLength, 189 + 13);
    const opened = openAccept3(sealed.datagram, expect);
    assert.ok(opened.ok);
    assert.deepEqual(opened.params.extensions, extensions);
  });
});
