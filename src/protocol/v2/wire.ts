/**
 * The v2 wire layer's public face (docs/PROTOCOL-v2.md): pure functions from typed packets to bytes and
 * back. No sockets, no clock, no ambient randomness. Decoders and openers return result values and never
 * throw on any input; encoders and sealers throw RangeError only when the caller breaks their contract.
 *
 * Receiving: `isV2` tells v1 from v2; `peek` gives the type and routing id (nonce or session id) to find
 * the session and its key; then `decode*` (untagged) or `open*` (tagged: verifies first) parses it.
 */
export { bytesEqual, hex } from './bytes.ts';
export { dataCapacity, dataSize, FRAME_TYPE_CODES, frameSize, MAX_LINE_TEXT_BYTES } from './frame-codec.ts';
export type { AckInfo, Frame, LineFrame, PingFrame, SkipFrame } from './frames.ts';
export {
  type AcceptPacket,
  type ChallengePacket,
  CLOSE_REASONS,
  type ClosePacket,
  type DataPacket,
  type Decoded,
  type DecodeFailure,
  type DecodeFailureReason,
  type Fields,
  type HelloPacket,
  PACKET_TYPE_CODES,
  type Packet,
  type PacketType,
  type Peeked,
  REJECT_REASONS,
  type RejectPacket,
  type RejectReason,
  type ResponsePacket,
  type RetryPacket,
} from './packets.ts';
export { isV2, peek, unsupportedVersionEcho } from './wire-common.ts';
export {
  decodeHello,
  decodeReject,
  decodeRetry,
  encodeHello,
  encodeReject,
  encodeRetry,
} from './wire-handshake.ts';
export {
  type AcceptKeys,
  openAccept,
  openChallenge,
  openClose,
  openData,
  openResponse,
  sealAccept,
  sealChallenge,
  sealClose,
  sealData,
  sealResponse,
} from './wire-session.ts';
