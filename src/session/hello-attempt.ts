/**
 * One handshake attempt of the client (docs/PROTOCOL-v2.md, 4.1-4.6): a fresh nonce and X25519 key, the
 * RETRY's cookie once one came, how many HELLOs went out and when the next is due, and whether an ACCEPT
 * for it failed its proof. Every HELLO of one attempt carries the same nonce, key and (empty) extensions; a
 * new attempt draws new ones. Sans-I/O: the connection decides when to send and what a failure means.
 */
import { bytesEqual } from '../protocol/v2/bytes.ts';
import { drawRandom, type RandomSource } from '../protocol/v2/crypto.ts';
import { NONCE_BYTES } from '../protocol/v2/limits.ts';
import { type AcceptOpened, openAccept3 } from '../protocol/v2/protected-accept.ts';
import { encodeHello3 } from '../protocol/v2/protected-handshake.ts';
import type { ProtectedFailure } from '../protocol/v2/protected-packets.ts';
import { X25519Secret } from '../protocol/v2/x25519.ts';

/** No extension is defined in this revision: every HELLO sends an empty field (section 4.1). */
const NO_EXTENSIONS = new Uint8Array(0);

export class HelloAttempt {
  readonly nonce: Uint8Array;
  private readonly secret: X25519Secret;
  private cookie: Uint8Array | null = null;
  /** HELLOs sent since the attempt began or its cookie came. */
  sent = 0;
  /** When the next HELLO is due. */
  nextAt = 0;
  /** An ACCEPT for this attempt failed its proof: running out of attempts is then an identity failure. */
  proofFailed = false;

  constructor(random: RandomSource) {
    this.secret = X25519Secret.generate(random);
    this.nonce = drawRandom(random, NONCE_BYTES);
  }

  /** Whether `echo` (a RETRY's, REJECT's or ACCEPT's) names this attempt. */
  isOwn(echo: Uint8Array): boolean {
    return bytesEqual(echo, this.nonce);
  }

  /** The next HELLO, due again `interval` ms from `now`. */
  hello(now: number, interval: number): Uint8Array {
    this.sent++;
    this.nextAt = now + interval;
    return encodeHello3({
      nonce: this.nonce,
      publicKey: this.secret.publicKey,
      cookie: this.cookie,
      extensions: NO_EXTENSIONS,
    });
  }

  /** The RETRY's cookie: the HELLOs that follow carry it, counted afresh. */
  validated(cookie: Uint8Array): void {
    this.cookie = cookie;
    this.sent = 0;
  }

  /** The ACCEPT checked against this attempt's HELLO, in the spec's order (4.5). */
  open(bytes: Uint8Array): AcceptOpened | ProtectedFailure {
    const opened = openAccept3(bytes, {
      nonce: this.nonce,
      ephemeral: this.secret,
      helloExtensions: NO_EXTENSIONS,
    });
    if (!opened.ok && opened.reason === 'proof') this.proofFailed = true;
    return opened;
  }
}
