/**
 * HELLO: stateless address validation, then a session. A HELLO without a valid cookie gets a RETRY and
 * leaves nothing behind (RFC 6347 §4.2.1, RFC 9000 §8.1); one with a valid cookie proves its address
 * receives, and gets a new session's ACCEPT (or the same ACCEPT again when its first one was lost), or a
 * REJECT when a cap is reached (docs/PROTOCOL-v2.md, "Handshake and address validation"). A HELLO of
 * another version gets REJECT "version not supported"; one with a small-order key REJECT "bad key"; one
 * whose session has ended is dropped (its nonce is spent).
 */
import type { Address } from '../../protocol/address.ts';
import { drawRandom } from '../../protocol/v2/crypto.ts';
import { deriveSessionKeys, generateKeyPair, sharedSecret } from '../../protocol/v2/keys.ts';
import { AMPLIFICATION_FACTOR, REJECT_PACKET_BYTES, SESSION_ID_BYTES } from '../../protocol/v2/limits.ts';
import { resetToken } from '../../protocol/v2/reset-token.ts';
import {
  decodeHello,
  encodeReject,
  encodeRetry,
  type HelloPacket,
  hex,
  REJECT_REASONS,
  sealAccept,
  unsupportedVersionEcho,
} from '../../protocol/v2/wire.ts';
import { isSmallOrderPoint } from '../../protocol/v2/x25519.ts';
import { RelaySession } from '../relay-session.ts';
import { SessionLink } from '../session-link.ts';
import type { V2RelaySink } from './sink.ts';
import type { EndpointState, PacketHandler } from './state.ts';

export const onHello: PacketHandler = (state, now, from, bytes, _nonce, sink) => {
  const decoded = decodeHello(bytes);
  if (!decoded.ok) {
    state.stats.dropped++;
    return;
  }
  const hello = decoded.packet;
  if (isSmallOrderPoint(hello.publicKey)) {
    // Before the cookie: a plain comparison, and 12 bytes answer at least 96. Such a key gives a shared
    // secret everyone knows, so it gets no session whatever it proves.
    state.stats.rejects++;
    sink.datagram(from, encodeReject({ echo: hello.nonce, reason: REJECT_REASONS.badKey, token: null }));
    return;
  }
  const subject = { ip: from.host, port: from.port, nonce: hello.nonce, publicKey: hello.publicKey };
  if (hello.cookie === null || !state.cookies.verify(now, hello.cookie, subject).ok) {
    // Stateless: nothing is kept; 31 bytes answer at least 96 (well within 3x).
    state.stats.retries++;
    sink.datagram(from, encodeRetry({ nonce: hello.nonce, cookie: state.cookies.mint(now, subject) }));
    return;
  }
  accept(state, now, from, hello, sink);
};

/** A HELLO of another protocol version: REJECT reason 1, if the answer stays within 3x of it. */
export function rejectVersion(
  state: EndpointState,
  from: Address,
  bytes: Uint8Array,
  sink: V2RelaySink,
): void {
  const echo = unsupportedVersionEcho(bytes);
  if (echo === null || REJECT_PACKET_BYTES > AMPLIFICATION_FACTOR * bytes.byteLength) return;
  state.stats.rejects++;
  sink.datagram(from, encodeReject({ echo, reason: REJECT_REASONS.versionNotSupported, token: null }));
}

/** The address proved it receives: create the session (or repeat the ACCEPT a lost datagram needs). */
function accept(
  state: EndpointState,
  now: number,
  from: Address,
  hello: HelloPacket,
  sink: V2RelaySink,
): void {
  const existing = state.sessions.withNonce(hello.nonce);
  if (existing !== undefined) {
    if (existing.isAt(from)) sink.datagram(from, existing.accept);
    return;
  }
  if (state.spentNonces.has(now, hex(hello.nonce))) {
    // Its session ended (CLOSE, eviction) while the cookie may still be valid: a new handshake needs a new nonce.
    state.stats.dropped++;
    return;
  }
  if (state.sessions.isFull(from.host)) {
    state.stats.rejects++;
    const reject = { echo: hello.nonce, reason: REJECT_REASONS.tooManySessions, token: null };
    sink.datagram(from, encodeReject(reject));
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

/** Keys, id and sealed ACCEPT for a validated HELLO; null when its public key gives no shared secret. */
function createSession(
  state: EndpointState,
  now: number,
  from: Address,
  hello: HelloPacket,
): RelaySession | null {
  const { random, channel, firstPacketNumber } = state.options;
  const id = state.sessions.freshId(() => drawRandom(random, SESSION_ID_BYTES));
  const pair = generateKeyPair(random);
  const shared = sharedSecret(pair.privateKey, hello.publicKey);
  if (!shared.ok) return null;
  const keys = deriveSessionKeys(shared.secret, hello.nonce, id);
  const accept = sealAccept(
    {
      nonce: hello.nonce,
      sessionId: id,
      publicKey: pair.publicKey,
      ...state.timers,
      resetToken: resetToken(state.resetKey, id),
    },
    keys,
  );
  const link = new SessionLink('relay', id, keys, channel, firstPacketNumber);
  return new RelaySession(id, hex(id), hex(hello.nonce), accept, link, from, now);
}
