/**
 * Serverless LAN chat (`udpchat chat --multicast GROUP:PORT`): the wire format.
 *
 * Everyone in a multicast group sends datagrams to the group; there is no relay. Each datagram names its
 * sender and its place in that sender's stream, so receivers can drop duplicates, restore order, count
 * losses and learn who is present (src/lan/ holds the state machine that does it).
 *
 * ## Datagram
 * All integers are unsigned big-endian. No datagram is over 1,200 bytes (RFC 8085 section 3.2, as v1 and
 * v2); a larger one is refused before it is decoded, and a line that would not fit is refused, never cut.
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 1 | magic `0xFE`: never in UTF-8 (RFC 3629), so never a v1 line; not v2's `0xFF` |
 * | 1 | 1 | version `0x01` |
 * | 2 | 1 | flags: bit 0 = body sealed with the group key; every other bit 0 |
 * | 3 | 8 | sender id: random, new at every process start |
 * | 11 | 4 | sequence: 0, 1, 2, ... for every datagram of this sender id |
 * | 15 | ... | body, in clear; or sealed: ChaCha20-Poly1305 ciphertext of the body, then its 16-byte tag |
 *
 * The body:
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 1 | kind: `0x01` line, `0x02` action (/me), `0x03` announce, `0x04` leave |
 * | 1 | 8 | claimed at: when the sender took its nick, ms since 1970 (at most 2^53 - 1) |
 * | 9 | 4 | line number: of this line or action (0, 1, ...); for announce and leave, lines sent before it |
 * | 13 | 1 | nick length n |
 * | 14 | n | nick, UTF-8: the relay's rules (checkNick: at most 32 characters, look-alikes are one nick) and no `#` |
 * | 14+n | rest | text, UTF-8: 1 to 1,024 characters for line and action; empty for announce and leave |
 *
 * - Message id = (sender id, sequence), 12 bytes, written as 24 hex digits. A dual-path client (`--relay`
 *   and `--multicast`) sends a line's relay copy under the same id; a receiver shows whichever copy comes
 *   first and drops the other (LanPeer.hasShown / markShown). The relay stays the authority for order,
 *   history and presence.
 * - A sender never reuses a sequence number under one sender id. Before the u32 runs out, the last number
 *   carries a leave, and the sender continues under a new random id from 0, with an announcement; its nick
 *   keeps its claimed-at time.
 * - The line number makes loss reports exact: the lines among skipped datagrams are the difference between
 *   the line number expected and the one that arrives ("2 lines from bob lost"), so a lost announcement is
 *   never counted as a lost line, and the next announcement reveals lines lost at the end of a burst.
 * - Decoding never throws; every failure is a LanDecodeError value.
 *
 * ## Group key (`--group-key PASSPHRASE`)
 * key = scrypt(NFC(passphrase), salt = UTF-8("udpchat lan group v1 " + "ADDR:PORT"), N = 2^15, r = 8, p = 1,
 * 32 bytes) (RFC 7914). The body is sealed with AEAD_CHACHA20_POLY1305 (RFC 8439): nonce = sender id ||
 * sequence (unique because a sequence number is never reused under one id), associated data = the 15-byte
 * header, which is sent in clear (receivers need the id and sequence to build the nonce) but
 * authenticated. A datagram that fails to authenticate is dropped and counted, never shown; a sender whose
 * traffic is under another key, sealed when we have no key, or in clear when we have one, is reported once
 * (`key-mismatch`), with no content.
 *
 * Without a key, datagrams are in clear: anyone on the LAN reads them, and anyone can forge them, under
 * any nick or sender id. With a key, only holders of the passphrase can; they can still claim any nick
 * and an early claimed-at time (collisions are resolved by what senders claim), and the header shows
 * every sender id, sequence and datagram size to the LAN.
 *
 * ## Example transcript
 * alice (sender id 3c9a5107e24d881f, nick claimed at 2026-01-01T12:00:00Z) announces herself, then says
 * "hi bob"; the third datagram is that line sealed with --group-key "correct horse battery staple" on
 * 239.255.0.1:9999 (key e95856759fa926d2b98878d8249a3e210f67c17e0af1822bf065698c053db470):
 *
 * ```
 * announce, 34 bytes:
 *   fe 01 00  3c9a5107e24d881f  00000000  03 0000019b796dd600 00000000 05 616c696365
 * line "hi bob", 40 bytes:
 *   fe 01 00  3c9a5107e24d881f  00000001  01 0000019b796dd600 00000000 05 616c696365 686920626f62
 * the same line sealed, 56 bytes (25 bytes of ciphertext, then the 16-byte tag):
 *   fe 01 01  3c9a5107e24d881f  00000001  72b2ec1994288ac8acebca21e02a507c118bda952a8e1c6123
 *                                          dfcb10efc50821b0bab32d5087ba53d6
 * ```
 * (test/protocol/lan/transcript.test.ts checks these bytes.)
 */
export { openAead, sealAead } from './aead.ts';
export { carriesText } from './body.ts';
export type { LanBody, LanDatagram, LanDecodeError, LanEncodeError, LanHeader, LanKind } from './datagram.ts';
export { deriveGroupKey, GroupKey, groupKeySalt } from './group-key.ts';
export { isLan, readHeader } from './header.ts';
export { checkLanNick, suffixedNick } from './lan-nick.ts';
export { type MessageId, messageIdText, messageNonce, senderIdHex } from './message-id.ts';
export { decodeLanDatagram, encodeLanDatagram, type LanDecoded, type LanEncoded } from './wire.ts';
