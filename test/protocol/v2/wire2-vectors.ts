/**
 * Test vectors for wire version 2, the wire the relay and the client speak today (docs/PROTOCOL-v2.md,
 * Appendix A): a handshake recorded from the real V2ClientConnection and V2RelayEndpoint, run at time 0 with
 * every random byte injected (RFC 7748 §6.1's Alice as the client key, Bob as the relay's), the keys the
 * two sides derive, the first tagged DATA each way, a CLOSE and the REJECT 4 a relay with the same reset
 * key sends once it has forgotten the session. wire2-vectors.test.ts checks that the spec quotes exactly
 * these values.
 */
import { createSecretKey } from 'node:crypto';
import type { Address } from '../../../src/protocol/address.ts';
import type { RandomSource } from '../../../src/protocol/v2/crypto.ts';
import { deriveSessionKeys, sharedSecret } from '../../../src/protocol/v2/keys.ts';
import { resetToken } from '../../../src/protocol/v2/reset-token.ts';
import { V2ClientConnection, type V2ClientOutput } from '../../../src/session/client-connection.ts';
import { V2RelayEndpoint, type V2RelaySink } from '../../../src/session/relay-endpoint.ts';
import { INPUTS, type VectorValue } from './wire3-vectors.ts';

const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Wire 3's ephemeral keys, nonce and session id (RFC 7748 §6.1), with what only wire 2 draws. */
export const WIRE2_INPUTS = {
  clientPrivate: INPUTS.clientPrivate,
  relayPrivate: INPUTS.relayPrivate,
  nonce: INPUTS.nonce,
  sessionId: INPUTS.sessionId,
  cookieSecret: fromHex('c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf'),
  resetKey: fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'),
  idleTimeoutMs: 30_000,
};

const CLIENT: Address = { host: '192.0.2.7', port: 40001 };

/** Hands out exactly these byte strings, in order, each to a request of its own size; anything else throws. */
function scripted(...draws: Uint8Array[]): RandomSource {
  const queue = [...draws];
  return (count) => {
    const next = queue.shift();
    if (next === undefined || next.byteLength !== count) {
      throw new Error(`unexpected draw of ${count} bytes (scripted: ${next?.byteLength ?? 'none'})`);
    }
    return next;
  };
}

interface Recorded {
  readonly toRelay: Uint8Array[];
  readonly toClient: Uint8Array[];
}

/** Runs the handshake, `/join alice`, the relay's welcome and the client's CLOSE, recording every datagram. */
function record(): Recorded {
  const inputs = WIRE2_INPUTS;
  const recorded: Recorded = { toRelay: [], toClient: [] };
  const client = new V2ClientConnection({ random: scripted(inputs.clientPrivate, inputs.nonce) });
  const relay = new V2RelayEndpoint({
    random: scripted(inputs.cookieSecret, inputs.sessionId, inputs.relayPrivate),
    maxSessions: 1,
    maxPerHost: 0,
    idleTimeoutMs: inputs.idleTimeoutMs,
    resetKey: inputs.resetKey,
  });
  const pending: Uint8Array[] = [];
  const sink: V2RelaySink = {
    datagram: (_to, bytes) => {
      recorded.toClient.push(bytes);
      pending.push(bytes);
    },
    lines: (session) => relay.sendLine(session, '*** welcome, alice ***'),
    heard: () => {},
    ended: () => {},
  };
  const toRelay = (out: V2ClientOutput): void => {
    for (const bytes of out.datagrams) {
      recorded.toRelay.push(bytes);
      relay.handle(0, CLIENT, bytes, sink);
      relay.flush(0, sink);
    }
    // Bounded: each answer is one of a finite handshake.
    for (let i = 0; i < 10 && pending.length > 0; i++)
      toRelay(client.handle(0, pending.shift() as Uint8Array));
  };
  toRelay(client.start(0));
  toRelay(client.send(0, '/join alice').out);
  toRelay(client.close(0));
  return recorded;
}

/** The REJECT 4 a relay holding the same reset key, but not the session, answers the client's DATA with. */
function resetFor(data: Uint8Array): Uint8Array {
  const replies: Uint8Array[] = [];
  const restarted = new V2RelayEndpoint({
    random: scripted(),
    maxSessions: 1,
    maxPerHost: 0,
    idleTimeoutMs: WIRE2_INPUTS.idleTimeoutMs,
    resetKey: WIRE2_INPUTS.resetKey,
  });
  const sink: V2RelaySink = {
    datagram: (_to, bytes) => replies.push(bytes),
    lines: () => {},
    heard: () => {},
    ended: () => {},
  };
  restarted.handle(0, CLIENT, data, sink);
  const reject = replies[0];
  if (replies.length !== 1 || reject === undefined) throw new Error('no REJECT 4');
  return reject;
}

/** Every named value, in the order Appendix A lists them. */
export function wire2Vectors(): Map<string, VectorValue> {
  const out = new Map<string, VectorValue>();
  const hex = (name: string, bytes: Uint8Array): void => void out.set(name, { hex: toHex(bytes) });
  const { toRelay, toClient } = record();
  const [probe, withCookie, data, close] = toRelay;
  const [retry, accept, welcome] = toClient;
  if (probe === undefined || withCookie === undefined || data === undefined || close === undefined)
    throw new Error(`the client sent ${toRelay.length} datagrams, not 4`);
  if (retry === undefined || accept === undefined || welcome === undefined || toClient.length !== 3)
    throw new Error(`the relay sent ${toClient.length} datagrams, not 3`);
  hex('wire2 client private', WIRE2_INPUTS.clientPrivate);
  hex('wire2 relay private', WIRE2_INPUTS.relayPrivate);
  hex('wire2 nonce', WIRE2_INPUTS.nonce);
  hex('wire2 cookie secret', WIRE2_INPUTS.cookieSecret);
  hex('wire2 session id', WIRE2_INPUTS.sessionId);
  hex('wire2 reset key', WIRE2_INPUTS.resetKey);
  hex('wire2 hello (probe)', probe);
  hex('wire2 retry', retry);
  hex('wire2 hello (with cookie)', withCookie);
  const shared = sharedSecret(WIRE2_INPUTS.clientPrivate, accept.subarray(19, 51));
  if (!shared.ok) throw new Error('no shared secret');
  const keys = deriveSessionKeys(shared.secret, WIRE2_INPUTS.nonce, WIRE2_INPUTS.sessionId);
  hex('wire2 shared secret', shared.secret);
  hex('wire2 c2r key', keys.clientToRelay);
  hex('wire2 r2c key', keys.relayToClient);
  hex('wire2 reset mask', keys.resetMask);
  hex('wire2 reset token', resetToken(createSecretKey(WIRE2_INPUTS.resetKey), WIRE2_INPUTS.sessionId));
  hex('wire2 accept', accept);
  hex('wire2 data c2r #0', data);
  hex('wire2 data r2c #0', welcome);
  hex('wire2 close c2r #1', close);
  hex('wire2 reject 4', resetFor(data));
  return out;
}
