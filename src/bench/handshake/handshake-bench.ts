/**
 * `udpchat bench --handshakes N`: what a protected-v2 handshake costs (docs/PROTOCOL-v2.md, section 4), in
 * one process and on one core, with no socket: N clients each probe, get a RETRY, send the HELLO with its
 * cookie and open the ACCEPT, against the real relay endpoint. The relay's side is timed apart (the cookie
 * check, the session's X25519 key and secret, the key schedule, the Ed25519 proof, the sealed parameters),
 * so `relay handshakes per second per core` is what one relay core can accept; the client's side (checking
 * the proof, the same key schedule) is reported beside it.
 */
import { performance } from 'node:perf_hooks';
import type { Address } from '../../protocol/address.ts';
import { RelayIdentity } from '../../protocol/v2/relay-identity.ts';
import { V2ClientConnection } from '../../session/client-connection.ts';
import { V2RelayEndpoint, type V2RelaySink } from '../../session/relay-endpoint.ts';
import { systemRandom } from '../../transport/system-random.ts';

export interface HandshakeBenchOptions {
  readonly mode: 'handshakes';
  readonly handshakes: number;
  readonly json: boolean;
}

export interface HandshakeBenchResult {
  readonly handshakes: number;
  /** Relay CPU for the HELLO with a valid cookie (ACCEPT made), per handshake, in microseconds. */
  readonly relayAcceptUs: number;
  /** Relay CPU for the probe (RETRY minted), per handshake, in microseconds. */
  readonly relayRetryUs: number;
  /** 1e6 / (relayAcceptUs + relayRetryUs): what one core of a relay accepts per second. */
  readonly relayHandshakesPerSecond: number;
  /** Client CPU to open and verify the ACCEPT, per handshake, in microseconds. */
  readonly clientAcceptUs: number;
}

/** Each client gets its own address, so the per-host cap never applies. */
function clientAddress(index: number): Address {
  return { host: `127.${(index >> 16) & 0xff}.${(index >> 8) & 0xff}.${index & 0xff}`, port: 40_000 };
}

export function runHandshakeBench(options: HandshakeBenchOptions): HandshakeBenchResult {
  const relay = new V2RelayEndpoint({
    random: systemRandom,
    identity: RelayIdentity.generate(systemRandom),
    maxSessions: options.handshakes + 1,
    maxPerHost: 0,
    idleTimeoutMs: 30_000,
  });
  const replies: Uint8Array[] = [];
  const sink: V2RelaySink = {
    datagram: (_to, bytes) => replies.push(bytes),
    lines: () => {},
    heard: () => {},
    ended: () => {},
  };
  let retryMs = 0;
  let acceptMs = 0;
  let clientMs = 0;
  for (let i = 0; i < options.handshakes; i++) {
    const from = clientAddress(i);
    const client = new V2ClientConnection({ random: systemRandom });
    const [probe] = client.start(0).datagrams;
    let began = performance.now();
    relay.handle(0, from, probe ?? new Uint8Array(), sink);
    retryMs += performance.now() - began;
    const [withCookie] = client.handle(0, replies.shift() ?? new Uint8Array()).datagrams;
    began = performance.now();
    relay.handle(0, from, withCookie ?? new Uint8Array(), sink);
    acceptMs += performance.now() - began;
    const accept = replies.shift() ?? new Uint8Array();
    began = performance.now();
    client.handle(0, accept);
    clientMs += performance.now() - began;
    if (client.state !== 'established') throw new Error(`handshake ${i} did not complete`);
  }
  const per = (ms: number): number => (ms * 1_000) / options.handshakes;
  const relayUs = per(retryMs) + per(acceptMs);
  return {
    handshakes: options.handshakes,
    relayAcceptUs: per(acceptMs),
    relayRetryUs: per(retryMs),
    relayHandshakesPerSecond: 1e6 / relayUs,
    clientAcceptUs: per(clientMs),
  };
}

export function formatHandshakeBench(result: HandshakeBenchResult): string {
  const us = (value: number): string => `${value.toFixed(0)} us`;
  return [
    `protected v2 handshakes: ${result.handshakes}, in one process, one core, no socket`,
    `  relay, probe -> RETRY:            ${us(result.relayRetryUs)} each`,
    `  relay, HELLO with cookie -> ACCEPT: ${us(result.relayAcceptUs)} each`,
    `  relay handshakes per second per core: ${Math.round(result.relayHandshakesPerSecond)}`,
    `  client, ACCEPT checked and opened:  ${us(result.clientAcceptUs)} each`,
    '',
  ].join('\n');
}
