/**
 * The spec's test vectors (docs/PROTOCOL-v2.md, "Test vectors"), computed from fixed private keys with the
 * project's own primitives. wire3-vectors.test.ts checks that the spec quotes exactly these values, and that
 * each datagram opens on the other side.
 */

import { ByteWriter } from '../../../src/protocol/v2/bytes.ts';
import { fingerprint } from '../../../src/protocol/v2/fingerprint.ts';
import type { Frame } from '../../../src/protocol/v2/frames.ts';
import { hkdfExtract } from '../../../src/protocol/v2/hkdf.ts';
import type { DirectionKeys } from '../../../src/protocol/v2/key-schedule.ts';
import { openPacket, sealPacket } from '../../../src/protocol/v2/packet-protection.ts';
import { openAccept3, sealAccept3 } from '../../../src/protocol/v2/protected-accept.ts';
import {
  encodeClosePayload,
  encodeDataPayload,
  encodeProbePayload,
} from '../../../src/protocol/v2/protected-bodies.ts';
import {
  encodeHello3,
  encodeReject3,
  encodeRetry3,
  versionRejectFor,
} from '../../../src/protocol/v2/protected-handshake.ts';
import { RelayIdentity } from '../../../src/protocol/v2/relay-identity.ts';
import { transcriptBytes, transcriptHash } from '../../../src/protocol/v2/transcript.ts';
import { encodeHello } from '../../../src/protocol/v2/wire.ts';
import { X25519Secret } from '../../../src/protocol/v2/x25519.ts';

export type VectorValue = { readonly hex: string } | { readonly text: string };

const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** RFC 7748 §6.1's Alice and Bob as the two ephemeral keys; RFC 8032 §7.1 test 1 as the relay identity. */
export const INPUTS = {
  clientPrivate: fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
  relayPrivate: fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'),
  identitySeed: fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
  nonce: fromHex('0011223344556677'),
  sessionId: fromHex('a0a1a2a3a4a5a6a7'),
  cookie: fromHex('0000cafe00112233445566778899aabbccddeeff'),
  challenge: fromHex('0f1e2d3c4b5a6978'),
  idleTimeoutMs: 30_000,
  keepAliveMs: 10_000,
};

function opens(datagram: Uint8Array, keys: DirectionKeys, payload: Uint8Array): void {
  const opened = openPacket(datagram, keys);
  if (!opened.ok || toHex(opened.payload) !== toHex(payload))
    throw new Error('a vector datagram did not open');
}

/** Every named value of the handshake and session vectors, in the order the spec lists them. */
export function wire3Vectors(): Map<string, VectorValue> {
  const out = new Map<string, VectorValue>();
  const hex = (name: string, bytes: Uint8Array): void => void out.set(name, { hex: toHex(bytes) });
  const client = X25519Secret.fromPrivate(INPUTS.clientPrivate);
  const relay = X25519Secret.fromPrivate(INPUTS.relayPrivate);
  const identity = RelayIdentity.fromSeed(INPUTS.identitySeed);
  const none = new Uint8Array(0);

  hex('client ephemeral private', INPUTS.clientPrivate);
  hex('client ephemeral public', client.publicKey);
  hex('relay ephemeral private', INPUTS.relayPrivate);
  hex('relay ephemeral public', relay.publicKey);
  hex('relay identity seed', INPUTS.identitySeed);
  hex('relay identity public', identity.publicKey);
  out.set('relay fingerprint', { text: fingerprint(identity.publicKey) });
  hex('nonce', INPUTS.nonce);
  hex('session id', INPUTS.sessionId);
  hex('cookie', INPUTS.cookie);

  const hello = { nonce: INPUTS.nonce, publicKey: client.publicKey, extensions: none };
  hex('hello (probe)', encodeHello3({ ...hello, cookie: null }));
  hex('retry', encodeRetry3({ nonce: INPUTS.nonce, cookie: INPUTS.cookie }));
  hex('hello (with cookie)', encodeHello3({ ...hello, cookie: INPUTS.cookie }));

  const fields = {
    nonce: INPUTS.nonce,
    clientKey: client.publicKey,
    helloExtensions: none,
    sessionId: INPUTS.sessionId,
    relayEphemeralKey: relay.publicKey,
    relayIdentityKey: identity.publicKey,
  };
  const th = transcriptHash(fields);
  const shared = client.agree(relay.publicKey);
  if (!shared.ok) throw new Error('the vector keys do not agree');
  hex('transcript', transcriptBytes(fields));
  hex('transcript hash', th);
  hex('shared secret', shared.secret);
  hex('prk', hkdfExtract(th, shared.secret));

  const sealed = sealAccept3({
    hello,
    sessionId: INPUTS.sessionId,
    ephemeral: relay,
    identity,
    idleTimeoutMs: INPUTS.idleTimeoutMs,
    keepAliveMs: INPUTS.keepAliveMs,
  });
  if (!sealed.ok) throw new Error('the vector ACCEPT was refused');
  const opened = openAccept3(sealed.datagram, {
    nonce: INPUTS.nonce,
    ephemeral: client,
    helloExtensions: none,
  });
  if (!opened.ok) throw new Error(`the vector ACCEPT did not open: ${opened.reason}`);
  const { clientToRelay: c2r, relayToClient: r2c } = opened.secrets;
  hex('c2r key', new Uint8Array(c2r.key.export()));
  hex('c2r iv', c2r.iv);
  hex('r2c key', new Uint8Array(r2c.key.export()));
  hex('r2c iv', r2c.iv);
  hex('accept key', new Uint8Array(opened.secrets.accept.export()));
  hex('proof', identity.prove(th));
  hex('reset key', new Uint8Array(identity.resetKey.export()));
  hex('reset token', sealed.resetToken);
  hex(
    'accept params',
    new ByteWriter(26).u32(INPUTS.idleTimeoutMs).u32(INPUTS.keepAliveMs).raw(sealed.resetToken).u16(0).bytes,
  );
  hex('accept', sealed.datagram);

  const relayKeys = sealed.secrets;
  const data = (
    name: string,
    keys: DirectionKeys,
    check: DirectionKeys,
    packetNumber: number,
    payload: Uint8Array,
  ): void => {
    const datagram = sealPacket({ type: 'data', sessionId: INPUTS.sessionId, packetNumber }, payload, keys);
    opens(datagram, check, payload);
    hex(`${name} payload`, payload);
    hex(name, datagram);
  };
  const line = (seq: number, text: string): Frame => ({ type: 'line', seq, text });
  data(
    'data c2r #0',
    c2r,
    relayKeys.clientToRelay,
    0,
    encodeDataPayload({ next: 0, bitmap: 0 }, [line(0, '/join alice')]),
  );
  data(
    'data r2c #0',
    relayKeys.relayToClient,
    r2c,
    0,
    encodeDataPayload({ next: 1, bitmap: 0 }, [line(0, '*** welcome, alice ***')]),
  );
  data(
    'data c2r #1',
    c2r,
    relayKeys.clientToRelay,
    1,
    encodeDataPayload({ next: 2, bitmap: 0x0000_0001 }, [{ type: 'ping' }, line(1, 'hi bob')]),
  );

  const probe = encodeProbePayload(INPUTS.challenge);
  const challenge = sealPacket(
    { type: 'challenge', sessionId: INPUTS.sessionId, packetNumber: 4 },
    probe,
    relayKeys.relayToClient,
  );
  opens(challenge, r2c, probe);
  hex('challenge r2c #4', challenge);
  const response = sealPacket({ type: 'response', sessionId: INPUTS.sessionId, packetNumber: 2 }, probe, c2r);
  opens(response, relayKeys.clientToRelay, probe);
  hex('response c2r #2', response);
  const close = sealPacket(
    { type: 'close', sessionId: INPUTS.sessionId, packetNumber: 3 },
    encodeClosePayload(0),
    c2r,
  );
  opens(close, relayKeys.clientToRelay, encodeClosePayload(0));
  hex('close c2r #3', close);

  hex('reject 4', encodeReject3({ echo: INPUTS.sessionId, reason: 4, token: sealed.resetToken }));
  const oldHello = encodeHello({ nonce: INPUTS.nonce, publicKey: client.publicKey, cookie: null });
  hex('reject 1 to a wire-2 hello', versionRejectFor(oldHello) ?? none);
  return out;
}
