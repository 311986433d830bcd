/** One sample of every v2 datagram, and raw builders for malformed ones, shared by the wire tests. */
import { computeTag } from '../../../src/protocol/v2/crypto.ts';
import { V2_MAGIC, V2_VERSION } from '../../../src/protocol/v2/limits.ts';
import {
  type Decoded,
  encodeHello,
  encodeReject,
  encodeRetry,
  openAccept,
  openChallenge,
  openClose,
  openData,
  openResponse,
  type Packet,
  REJECT_REASONS,
  sealAccept,
  sealChallenge,
  sealClose,
  sealData,
  sealResponse,
} from '../../../src/protocol/v2/wire.ts';
import { filled } from './deterministic-random.ts';

export const C2R = filled(32, 0xc2);
export const R2C = filled(32, 0x2c);
export const NONCE = filled(8, 0x11);
export const SESSION = filled(8, 0x55);
export const KEY = filled(32, 0x4b);
export const COOKIE = filled(20, 0xc0);
export const RESET_MASK = filled(16, 0x3a);
export const TOKEN = filled(16, 0x70);

/** ACCEPT's opener keyed by the relay→client key alone, like every other tagged type (the mask is fixed). */
function openAcceptWith(bytes: Uint8Array, key: Uint8Array): Decoded<Packet> {
  return openAccept(bytes, { relayToClient: key, resetMask: RESET_MASK });
}

export interface TaggedSample {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly key: Uint8Array;
  readonly open: (bytes: Uint8Array, key: Uint8Array) => Decoded<Packet>;
  readonly expected: Packet;
}

const accept = {
  type: 'accept',
  nonce: NONCE,
  sessionId: SESSION,
  publicKey: KEY,
  idleTimeoutMs: 30_000,
  keepAliveMs: 10_000,
  resetToken: TOKEN,
} as const;
const data = {
  type: 'data',
  sessionId: SESSION,
  packetNumber: 7,
  ack: { next: 3, bitmap: 0x8000_0001 },
  frames: [{ type: 'line', seq: 3, text: '/join alice' }, { type: 'skip', seq: 2 }, { type: 'ping' }],
} as const;
const close = { type: 'close', sessionId: SESSION, packetNumber: 9, reason: 2 } as const;
const challenge = {
  type: 'challenge',
  sessionId: SESSION,
  packetNumber: 4,
  challenge: filled(8, 0xcc),
} as const;
const response = {
  type: 'response',
  sessionId: SESSION,
  packetNumber: 5,
  challenge: filled(8, 0xcc),
} as const;

/** Every tagged type, sealed with the key of its direction. */
export function taggedSamples(): TaggedSample[] {
  return [
    {
      name: 'ACCEPT',
      bytes: sealAccept(accept, { relayToClient: R2C, resetMask: RESET_MASK }),
      key: R2C,
      open: openAcceptWith,
      expected: accept,
    },
    { name: 'DATA', bytes: sealData(data, C2R), key: C2R, open: openData, expected: data },
    { name: 'CLOSE', bytes: sealClose(close, R2C), key: R2C, open: openClose, expected: close },
    {
      name: 'CHALLENGE',
      bytes: sealChallenge(challenge, R2C),
      key: R2C,
      open: openChallenge,
      expected: challenge,
    },
    {
      name: 'RESPONSE',
      bytes: sealResponse(response, C2R),
      key: C2R,
      open: openResponse,
      expected: response,
    },
  ];
}

/** Every untagged type. */
export function untaggedSamples(): { name: string; bytes: Uint8Array }[] {
  return [
    { name: 'HELLO', bytes: encodeHello({ nonce: NONCE, publicKey: KEY, cookie: null }) },
    { name: 'HELLO+cookie', bytes: encodeHello({ nonce: NONCE, publicKey: KEY, cookie: COOKIE }) },
    { name: 'RETRY', bytes: encodeRetry({ nonce: NONCE, cookie: COOKIE }) },
    {
      name: 'REJECT',
      bytes: encodeReject({ echo: SESSION, reason: REJECT_REASONS.unknownSession, token: TOKEN }),
    },
    {
      name: 'REJECT 3',
      bytes: encodeReject({ echo: NONCE, reason: REJECT_REASONS.tooManySessions, token: null }),
    },
  ];
}

/** A datagram of `type` with an arbitrary body and a valid tag: reaches the parser behind the tag check. */
export function tagged(type: number, body: Uint8Array, key: Uint8Array): Uint8Array {
  const untagged = new Uint8Array([V2_MAGIC, V2_VERSION, type, ...body]);
  return new Uint8Array([...untagged, ...computeTag(key, untagged)]);
}

/** A DATA body (after the header) with the given frame bytes. */
export function dataBody(frameBytes: readonly number[]): Uint8Array {
  return new Uint8Array([...SESSION, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, ...frameBytes]);
}
