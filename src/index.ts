/**
 * udpchat as a library: the sans-I/O protocol cores, the socket bindings, and the client API.
 * See docs/ARCHITECTURE.md for how they fit together.
 */
export {
  ChatClient,
  type ChatClientError,
  type ChatClientEvents,
  type ChatClientOptions,
  type ChatSayResult,
} from './client/chat-client.ts';
export type {
  AnsweringEvent,
  ChatEvent,
  ClientEvent,
  ClientState,
  LineEvent,
  NoticeEvent,
  RefusedEvent,
  RejoiningEvent,
  SayError,
  SayErrorCode,
  SayResult,
  SessionOutput,
  SilentEvent,
  UnansweredEvent,
  WelcomeEvent,
} from './client/events.ts';
export { ClientSession, type ClientSessionOptions, joinNickProblem } from './client/session.ts';
export type { Address } from './protocol/address.ts';
export { decodeDatagram, decodeLenient, encodeLine } from './protocol/codec.ts';
export * as limits from './protocol/limits.ts';
export { lookalikeKey } from './protocol/lookalike.ts';
export * as wire from './protocol/messages.ts';
export { checkNick, checkRoomName, type NickCheck } from './protocol/nick.ts';
export { sanitizeText } from './protocol/sanitize.ts';
export type { RelayEvent, RelayOutput, Transmit } from './relay/output.ts';
export { Relay, type RelayOptions } from './relay/relay.ts';
export { RelayServer, type RelayServerOptions } from './server/relay-server.ts';
export { UdpEndpoint } from './transport/udp.ts';
