/**
 * The session layer speaks the spec's wire version 3 byte for byte (docs/PROTOCOL-v2.md, section 18): the
 * real V2ClientConnection and V2RelayEndpoint, run at time 0 with every random byte injected (the same
 * keys, nonce, session id and identity as the vectors), send exactly the HELLO probe, ACCEPT, first DATA
 * each way and REJECT 4 the spec quotes. The RETRY and the HELLO with its cookie differ only by the cookie,
 * which the spec leaves opaque (this relay's HMAC of its own secret); the ACCEPT does not depend on it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../../src/protocol/address.ts';
import type { RandomSource } from '../../../src/protocol/v2/crypto.ts';
import { RelayIdentity } from '../../../src/protocol/v2/relay-identity.ts';
import { encodeHello } from '../../../src/protocol/v2/wire.ts';
import { V2ClientConnection, type V2ClientOutput } from '../../../src/session/client-connection.ts';
import { V2RelayEndpoint, type V2RelaySink } from '../../../src/session/relay-endpoint.ts';
import { specVectors } from './spec-vectors.ts';
import { INPUTS } from './wire3-vectors.ts';

const CLIENT: Address = { host: '192.0.2.7', port: 40001 };
const COOKIE_SECRET = new Uint8Array(32).fill(0xc0);

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

function quoted(name: string): string {
  const value = specVectors().get(name);
  assert.ok(value !== undefined && 'hex' in value, `the spec quotes ${name}`);
  return value.hex;
}

const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('hex');

function relay(random: RandomSource): V2RelayEndpoint {
  return new V2RelayEndpoint({
    random,
    identity: RelayIdentity.fromSeed(INPUTS.identitySeed),
    maxSessions: 1,
    maxPerHost: 0,
    idleTimeoutMs: INPUTS.idleTimeoutMs,
  });
}

function collect(replies: Uint8Array[], onLines: V2RelaySink['lines'] = () => {}): V2RelaySink {
  return { datagram: (_to, bytes) => replies.push(bytes), lines: onLines, heard: () => {}, ended: () => {} };
}

/** The handshake, `/join alice` and the relay's welcome, every datagram recorded. */
function record(): { toRelay: Uint8Array[]; toClient: Uint8Array[] } {
  const toRelay: Uint8Array[] = [];
  const toClient: Uint8Array[] = [];
  const client = new V2ClientConnection({ random: scripted(INPUTS.clientPrivate, INPUTS.nonce) });
  const endpoint = relay(scripted(COOKIE_SECRET, INPUTS.sessionId, INPUTS.relayPrivate));
  const pending: Uint8Array[] = [];
  const sink = collect(pending, (session) => endpoint.sendLine(session, '*** welcome, alice ***'));
  const deliver = (out: V2ClientOutput): void => {
    for (const bytes of out.datagrams) {
      toRelay.push(bytes);
      endpoint.handle(0, CLIENT, bytes, sink);
      endpoint.flush(0, sink);
    }
    // Bounded: each answer is one of a finite handshake.
    for (let i = 0; i < 10 && pending.length > 0; i++) {
      const bytes = pending.shift() as Uint8Array;
      toClient.push(bytes);
      deliver(client.handle(0, bytes));
    }
  };
  deliver(client.start(0));
  assert.equal(client.state, 'established');
  deliver(client.send(0, '/join alice').out);
  return { toRelay, toClient };
}

describe('the session layer sends the spec’s wire-3 vectors', () => {
  it('HELLO, ACCEPT, the first DATA each way and REJECT 4, byte for byte', () => {
    const { toRelay, toClient } = record();
    const [probe, withCookie, data] = toRelay;
    const [retry, accept, welcome] = toClient;
    assert.equal(hex(probe), quoted('hello (probe)'));
    assert.equal(retry?.byteLength, 31);
    assert.equal(withCookie?.byteLength, 96);
    assert.equal(hex(accept), quoted('accept'));
    assert.equal(hex(data), quoted('data c2r #0'));
    assert.equal(hex(welcome), quoted('data r2c #0'));
    // A relay restarted with the same identity, which has forgotten the session, resets it statelessly.
    const replies: Uint8Array[] = [];
    relay(scripted()).handle(0, CLIENT, data ?? new Uint8Array(), collect(replies));
    assert.deepEqual(replies.map(hex), [quoted('reject 4')]);
  });

  it('a wire-2 HELLO gets the REJECT 1 a wire-2 client understands', () => {
    const replies: Uint8Array[] = [];
    const old = encodeHello({ nonce: INPUTS.nonce, publicKey: new Uint8Array(32).fill(9), cookie: null });
    relay(scripted()).handle(0, CLIENT, old, collect(replies));
    assert.deepEqual(replies.map(hex), [quoted('reject 1 to a wire-2 hello')]);
  });
});
