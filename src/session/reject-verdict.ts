/**
 * What a v2 client does with a REJECT (docs/PROTOCOL-v2.md, sections 11.2 and 12). A REJECT is never sealed,
 * and anyone who saw one datagram of a session knows its id, so once a session is up the only REJECT heeded
 * is a reason 4 carrying the reset token its ACCEPT gave (compared in constant time); during a handshake,
 * only one that echoes the nonce of our own HELLO. Pure: the connection applies the verdict.
 */
import { bytesEqual } from '../protocol/v2/bytes.ts';
import type { Reject3 } from '../protocol/v2/protected-handshake.ts';
import { PROTECTED_REJECT_REASONS } from '../protocol/v2/protected-packets.ts';
import { resetTokenMatches } from '../protocol/v2/reset-token.ts';

export type RejectVerdict =
  /** A genuine stateless reset: the session is gone; seek a new one at once. */
  | 'reset'
  /** The relay refused our HELLO (another version, or full): speak v1, unless the relay is pinned. */
  | 'fallback'
  /** Our key is a small-order point: a bug here, not the network's; retrying with it cannot help. */
  | 'stop'
  /** Nothing this REJECT says can be trusted, or it is not about us. */
  | 'ignore';

/** Where the client stands: an established session (its id and reset token), a handshake (its nonce), or neither. */
export type RejectContext =
  | { readonly phase: 'established'; readonly sessionId: Uint8Array; readonly resetToken: Uint8Array }
  | { readonly phase: 'handshake'; readonly nonce: Uint8Array }
  | { readonly phase: 'other' };

export function rejectVerdict(reject: Reject3, context: RejectContext): RejectVerdict {
  if (context.phase === 'established') {
    const genuine =
      reject.token !== null &&
      bytesEqual(reject.echo, context.sessionId) &&
      resetTokenMatches(context.resetToken, reject.token);
    return genuine ? 'reset' : 'ignore';
  }
  if (context.phase !== 'handshake' || !bytesEqual(reject.echo, context.nonce)) return 'ignore';
  if (reject.reason === PROTECTED_REJECT_REASONS.badKey) return 'stop';
  if (
    reject.reason === PROTECTED_REJECT_REASONS.versionNotSupported ||
    reject.reason === PROTECTED_REJECT_REASONS.tooManySessions
  )
    return 'fallback';
  return 'ignore';
}
