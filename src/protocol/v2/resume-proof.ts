/**
 * Proof that the client presenting a ticket is the one it was issued to (docs/PROTOCOL-v2.md, section
 * 16). Wire version 2 sends lines in clear, so anyone on the path can copy a ticket; it cannot copy the
 * client's resumption key. The client makes one Ed25519 key per session, gives the relay its public half
 * when it asks for a ticket (the ticket seals it in), and on resumption signs the new session's key, so a
 * proof made for one session is worth nothing in another (an eavesdropper's own session included).
 */
import { createHash } from 'node:crypto';
import type { RandomSource } from './crypto.ts';
import { RelayIdentity, verifyProof } from './relay-identity.ts';

const BINDING_LABEL = 'udpchat resume proof ';

/** What a proof signs: SHA-256 of the label and the new session's key (`v2:` and its session id in hex). */
export function resumeBinding(sessionKey: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(BINDING_LABEL).update(sessionKey).digest());
}

/** The client's resumption key: an Ed25519 key of its own (the same primitive as a relay's identity). */
export class ResumptionKey {
  readonly #identity: RelayIdentity;

  private constructor(identity: RelayIdentity) {
    this.#identity = identity;
  }

  static generate(random: RandomSource): ResumptionKey {
    return new ResumptionKey(RelayIdentity.generate(random));
  }

  /** The raw 32-byte public key the ticket carries. */
  get publicKey(): Uint8Array {
    return this.#identity.publicKey;
  }

  /** The 64-byte proof for the session `sessionKey`. */
  prove(sessionKey: string): Uint8Array {
    return this.#identity.prove(resumeBinding(sessionKey));
  }
}

/** Whether `proof` is `clientKey`'s proof for the session `sessionKey`. Never throws. */
export function proofMatches(clientKey: Uint8Array, sessionKey: string, proof: Uint8Array): boolean {
  return verifyProof(clientKey, resumeBinding(sessionKey), proof);
}
