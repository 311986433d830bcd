/** A whole protected handshake from deterministic randomness, shared by the wire-3 tests. */
import { type AcceptOpened, openAccept3, sealAccept3 } from '../../../src/protocol/v2/protected-accept.ts';
import { RelayIdentity } from '../../../src/protocol/v2/relay-identity.ts';
import { X25519Secret } from '../../../src/protocol/v2/x25519.ts';
import { deterministicRandom, filled } from './deterministic-random.ts';

export interface SampleHandshake {
  readonly identity: RelayIdentity;
  readonly client: X25519Secret;
  readonly relay: X25519Secret;
  readonly nonce: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly accept: Uint8Array;
  /** What the relay derived. */
  readonly relaySide: Extract<ReturnType<typeof sealAccept3>, { ok: true }>;
  /** What the client derived from the ACCEPT. */
  readonly clientSide: AcceptOpened;
}

export function sampleHandshake(seed = 'sample'): SampleHandshake {
  const random = deterministicRandom(seed).random;
  const identity = RelayIdentity.generate(random);
  const client = X25519Secret.generate(random);
  const relay = X25519Secret.generate(random);
  const nonce = random(8);
  const sessionId = filled(8, 0x55);
  const extensions = new Uint8Array(0);
  const relaySide = sealAccept3({
    hello: { nonce, publicKey: client.publicKey, extensions },
    sessionId,
    ephemeral: relay,
    identity,
    idleTimeoutMs: 30_000,
    keepAliveMs: 10_000,
  });
  if (!relaySide.ok) throw new Error(`sample ACCEPT refused: ${relaySide.reason}`);
  const clientSide = openAccept3(relaySide.datagram, {
    nonce,
    ephemeral: client,
    helloExtensions: extensions,
  });
  if (!clientSide.ok) throw new Error(`sample ACCEPT did not open: ${clientSide.reason}`);
  return { identity, client, relay, nonce, sessionId, accept: relaySide.datagram, relaySide, clientSide };
}

/** A copy of `bytes` with bit `bit` flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
}
