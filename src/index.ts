/**
 * udpchat as a library: the sans-I/O protocol cores (v1 relay, client session, v2 endpoint and
 * connection), the socket bindings, and the client API. See docs/ARCHITECTURE.md for how they fit.
 */

export type {
  AckedEvent,
  ActionEvent,
  AnsweringEvent,
  ChatEvent,
  ClientEvent,
  ClientState,
  ConnectionStatus,
  FailedEvent,
  GapEvent,
  LineEvent,
  NoticeEvent,
  PrivateEvent,
  ProtocolEvent,
  ReconnectedEvent,
  ReconnectingEvent,
  ReconnectReason,
  RefusedEvent,
  RejoiningEvent,
  RoomsEvent,
  RttEvent,
  SayError,
  SayErrorCode,
  SayResult,
  SessionOutput,
  SilentEvent,
  UnansweredEvent,
  WelcomeEvent,
} from './client/events.ts';
export { type CarrierEvent, LineCarrier, type ProtocolMode } from './client/line-carrier.ts';
export { type NoticeMeaning, readNotice } from './client/notice-meaning.ts';
export type { ReconnectOptions } from './client/reconnect.ts';
export type { RoomsSnapshot } from './client/room-tracker.ts';
export { ClientSession } from './client/session.ts';
export { type ClientSessionOptions, joinNickProblem } from './client/session-options.ts';
export {
  ChatClient,
  type ChatClientError,
  type ChatClientEvents,
  type ChatClientOptions,
  type ChatSayResult,
} from './client-host/chat-client.ts';
export type { Address } from './protocol/address.ts';
export { decodeDatagram, decodeLenient, encodeLine } from './protocol/codec.ts';
export * as limits from './protocol/limits.ts';
export { lookalikeKey } from './protocol/lookalike.ts';
export * as wire from './protocol/messages.ts';
export { checkNick, checkRoomName, type NickCheck } from './protocol/nick.ts';
export { parseRelayLine, type RelayLine } from './protocol/relay-line.ts';
export { sanitizeText } from './protocol/sanitize.ts';
export * as v2wire from './protocol/v2/wire.ts';
export type { RelayEvent, RelayOutput, RelaySink, Transmit } from './relay/output.ts';
export { Relay, type RelayOptions } from './relay/relay.ts';
export { RelayServer, type RelayServerOptions } from './relay-host/relay-server.ts';
export { V2ClientConnection } from './session/client-connection.ts';
export { V2RelayEndpoint } from './session/relay-endpoint.ts';
export { ReliableChannel } from './session/reliable/channel.ts';
export { UdpEndpoint } from './transport/udp.ts';
