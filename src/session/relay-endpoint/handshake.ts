/**
 * HELLO (wire version 3): stateless address validation, then a session. A HELLO without a valid cookie gets
 * a RETRY and leaves nothing behind (RFC 6347 §4.2.1, RFC 9000 §8.1); one with a valid cookie proves its
 * address receives, and gets a new session's ACCEPT, signed by the relay's identity over the transcript (or
 * the same ACCEPT bytes again when its first one was lost), or a REJECT when a cap is reached
 * (docs/PROTOCOL-v2.md, section 4). A HELLO of another version gets REJECT "version not supported" in its
 * own version's layout when we know it (a wire-2 client understands it and falls back to v1); one with a
 * small-order key REJECT "bad key"; one whose session has ended is dropped (its nonce is spent).
 */
import type { Address } from '../../protocol/address.ts';
import { hex } from '../../protocol/v2/bytes.ts';
import { drawRandom } from '../../protocol/v2/crypto.ts';
import { AMPLIFICATION_FACTOR, REJECT_PACKET_BYTES, SESSION_ID_BYTES } from '../../protocol/v2/limits.ts';
import { sealAccept3 } from '../../protocol/v2/protected-accept.ts';
import {
  decodeHello3,
  encodeReject3,
  encodeRetry3,
  type Hello3,
  versionRejectFor,
} from '../../protocol/v2/protected-handshake.ts';
import { PROTECTED_REJECT_REASONS } from '../../protocol/v2/protected-packets.ts';
import { isSmallOrderPoint, X25519Secret } from '../../protocol/v2/x25519.ts';
import { RelaySession } from '../relay-session.ts';
import { SessionLink } from '../session-link.ts';
import type { V2RelaySink } from './sink.ts';
import type { EndpointState, PacketHandler } from './state.ts';

export const onHello: PacketHandler = (state, now, from, bytes, _nonce, sink) => {
  const decoded = decodeHello3(bytes);
  if (!decoded.ok) {
    state.stats.dropped++;
    return;
  }
  const hello = decoded.packet;
  if (isSmallOrderPoint(hello.publicKey)) {
    // Before the cookie: a plain comparison, and 12 bytes answer at least 96. Such a key gives a shared
    // secret everyone knows, so it gets no session whatever it proves.
    state.stats.rejects++;
    sink.datagram(from, refusal(hello.nonce, PROTECTED_REJECT_REASONS.badKey));
    return;
  }
  const subject = { ip: from.host, port: from.port, nonce: hello.nonce, publicKey: hello.publicKey };
  if (hello.cookie === null || !state.cookies.verify(now, hello.cookie, subject).ok) {
    // Stateless: nothing is kept; 31 bytes answer at least 96 (well within 3x).
    state.stats.retries++;
    sink.datagram(from, encodeRetry3({ nonce: hello.nonce, cookie: state.cookies.mint(now, subject) }));
    return;
  }
  accept(state, now, from, hello, sink);
};

function refusal(nonce: Uint8Array, reason: 3 | 5): Uint8Array {
  return encodeReject3({ echo: nonce, reason, token: null });
}

/**
 * A HELLO of another protocol version: REJECT reason 1 (section 12), if the answer stays within 3x of it.
 * Anything else of another version (an old client's DATA after the relay was upgraded) is dropped.
 */
export function rejectVersion(
  state: EndpointState,
  from: Address,
  bytes: Uint8Array,
  sink: V2RelaySink,
): void {
  const reject = versionRejectFor(bytes);
  if (reject === null || REJECT_PACKET_BYTES > AMPLIFICATION_FACTOR * bytes.byteLength) {
    state.stats.dropped++;
    return;
  }
  state.stats.rejects++;
  state.stats.versionRejects++;
  sink.datagram(from, reject);
}

/** The address proved it receives: create the session (or repeat the ACCEPT a lost datagram needs). */
function accept(state: EndpointState, now: number, from: Address, hello: Hello3, sink: V2RelaySink): void {
  const existing = state.sessions.withNonce(hello.nonce);
  if (existing !== undefined) {
    if (existing.isAt(from)) sink.datagram(from, existing.accept);
    else state.stats.dropped++;
    return;
  }
  if (state.spentNonces.has(now, hex(hello.nonce))) {
    // Its session ended (CLOSE, eviction) while the cookie may still be valid: a new handshake needs a new nonce.
    state.stats.dropped++;
    state.stats.spentNonces++;
    return;
  }
  if (state.sessions.isFull(from.host)) {
    state.stats.rejects++;
    sink.datagram(from, refusal(hello.nonce, PROTECTED_REJECT_REASONS.tooManySessions));
    return;
  }
  const session = createSession(state, now, from, hello);
  if (session === null) {
    state.stats.dropped++;
    return;
  }
  state.sessions.add(session);
  // Filed in the schedule at once, so a session that never speaks again still times out.
  state.schedule.touch(session);
  state.stats.accepts++;
  sink.datagram(from, session.accept);
}

/** Keys, id and signed ACCEPT for a validated HELLO; null when its public key gives no shared secret. */
function createSession(state: EndpointState, now: number, from: Address, hello: Hello3): RelaySession | null {
  const { random, channel, firstPacketNumber } = state.options;
  const id = state.sessions.freshId(() => drawRandom(random, SESSION_ID_BYTES));
  const sealed = sealAccept3({
    hello,
    sessionId: id,
    ephemeral: X25519Secret.generate(random),
    identity: state.identity,
    idleTimeoutMs: state.timers.idleTimeoutMs,
    keepAliveMs: state.timers.keepAliveMs,
  });
  if (!sealed.ok) return null;
  const link = new SessionLink('relay', id, sealed.secrets, channel, firstPacketNumber);
  link.observer = state.options.observer ?? null;
  return new RelaySession(id, hex(id), hex(hello.nonce), sealed.datagram, link, from, now);
}
