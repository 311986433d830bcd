/**
 * udpchat as a library: the sans-I/O protocol cores (v1 relay, client session, v2 endpoint and
 * connection), the socket bindings, and the client API. See docs/ARCHITECTURE.md for how they fit.
 */

export type * from './client/events.ts';
export { type CarrierEvent, LineCarrier, type ProtocolMode } from './client/line-carrier.ts';
export { type NoticeMeaning, readNotice } from './client/notice-meaning.ts';
export type { ReconnectOptions } from './client/reconnect.ts';
export type { RoomsSnapshot } from './client/room-tracker.ts';
export { ClientSession } from './client/session.ts';
export { type ClientSessionOptions, joinNickProblem } from './client/session-options.ts';
export { ChatClient, type ChatSayResult } from './client-host/chat-client.ts';
export type {
  ChatClientError,
  ChatClientEvents,
  ChatClientOptions,
  ChatSessionOptions,
  MovedEvent,
  MoveFailedEvent,
  MovingEvent,
} from './client-host/chat-client-options.ts';
export type * from './lan/events.ts';
export { LanPeer, type LanPeerOptions } from './lan/lan-peer.ts';
export { LanChat, type LanChatEvents, type LanChatOptions } from './lan-host/lan-chat.ts';
export type { Address } from './protocol/address.ts';
export { decodeDatagram, decodeLenient, encodeLine } from './protocol/codec.ts';
export * as limits from './protocol/limits.ts';
export { lookalikeKey } from './protocol/lookalike.ts';
export * as wire from './protocol/messages.ts';
export { checkNick, checkRoomName, type NickCheck } from './protocol/nick.ts';
export { parseRelayLine, type RelayLine } from './protocol/relay-line.ts';
export { sanitizeText } from './protocol/sanitize.ts';
export type { RandomSource } from './protocol/v2/crypto.ts';
export * as v2wire from './protocol/v2/wire.ts';
export type { RelayEvent, RelayOutput, RelaySink, Transmit } from './relay/output.ts';
export { Relay, type RelayOptions } from './relay/relay.ts';
export {
  type RelayCoreOptions,
  RelayServer,
  type RelayServerOptions,
  type RelayServices,
} from './relay-host/relay-server.ts';
export { V2ClientConnection } from './session/client-connection.ts';
export { V2RelayEndpoint } from './session/relay-endpoint.ts';
export { ReliableChannel } from './session/reliable/channel.ts';
export type { DatagramHandler, DatagramTransport } from './transport/datagram-transport.ts';
export {
  type HostResolver,
  type ResolvedAddress,
  resolveRelayHost,
  systemResolver,
} from './transport/host-resolver.ts';
export type {
  ClientTransport,
  DatagramLink,
  LinkRequest,
  ReceiveHandler,
  RelayLink,
  RelayLinkFactory,
  RelayTarget,
  StreamLink,
} from './transport/relay-link.ts';
export { type Clock, systemClock } from './transport/system-clock.ts';
export { systemRandom } from './transport/system-random.ts';
export { type CancelTimer, systemTimers, type TimerScheduler } from './transport/system-timers.ts';
export type { TraceSink } from './transport/trace-sink.ts';
export { noTransportStats, type TransportStats } from './transport/transport-stats.ts';
export { UdpEndpoint } from './transport/udp.ts';
export { UdpLink, udpTransport } from './transport/udp-link.ts';
