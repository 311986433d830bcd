/**
 * The exact text of every line the v1 relay sends. The first block is the seed's wording, byte for byte;
 * the second holds our refusals, which keep the seed's `*** ... ***` notice shape so a v1 client prints them.
 * Lines are given without the trailing `\n`; the codec adds it.
 */

// --- The seed's lines (relay.py) ---
/** How a welcome starts: what the bench and `parseWelcome` recognise one by. */
export const WELCOME_PREFIX = '*** welcome, ';
export const welcome = (nick: string): string => `${WELCOME_PREFIX}${nick} ***`;
export const joined = (nick: string): string => `*** ${nick} joined ***`;
export const left = (nick: string): string => `*** ${nick} left ***`;
export const timedOut = (nick: string): string => `*** ${nick} timed out ***`;
export const chat = (nick: string, text: string): string => `<${nick}> ${text}`;
export const PLEASE_JOIN = '*** please /join <nickname> first ***';
export const PONG = '/pong';
export const PING = '/ping';
export const LEAVE = '/leave';
export const JOIN_PREFIX = '/join ';
export const SERVER_GOING_DOWN = '*** server going down ***';
/** The seed gives an empty `/join ` this nickname. */
export const DEFAULT_NICK = 'anon';

// --- Our refusals (differences from the seed, listed in docs/PROTOCOL.md) ---
export const nickInUse = (nick: string): string => `*** nickname ${nick} is already in use ***`;
export const nickInvalid = (reason: string): string => `*** invalid nickname: ${reason} ***`;
export const alreadyJoined = (nick: string): string => `*** you are already joined as ${nick} ***`;
export const lineTooLong = (chars: number, max: number): string =>
  `*** line refused: ${chars} characters (max ${max}) ***`;
export const lineTooManyBytes = (max: number): string =>
  `*** line refused: too long to relay in one datagram (max ${max} bytes) ***`;
export const INVALID_UTF8 = '*** datagram refused: not valid UTF-8 ***';
export const datagramTooLarge = (bytes: number, max: number): string =>
  `*** datagram refused: ${bytes} bytes (max ${max}) ***`;
export const tooManyLines = (max: number): string =>
  `*** datagram refused: more than ${max} lines in one datagram ***`;
export const NOTHING_PRINTABLE = '*** line refused: nothing printable in it ***';
/** The one refusal for every failed login, whatever failed (relay/login.ts). */
export const AUTH_FAILED = '*** authentication failed ***';

/** A notice line from a relay: `*** ... ***`. */
export function isNotice(line: string): boolean {
  return line.startsWith('*** ') && line.endsWith(' ***');
}

/** A chat line as relayed: `<nick> text`. Returns the parts, or null for any other line. */
export function parseChat(line: string): { nick: string; text: string } | null {
  if (!line.startsWith('<')) return null;
  const end = line.indexOf('> ');
  if (end < 2) return null;
  return { nick: line.slice(1, end), text: line.slice(end + 2) };
}

/** The nick in a `*** welcome, <nick> ***` line, or null. */
export function parseWelcome(line: string): string | null {
  if (!line.startsWith(WELCOME_PREFIX) || !line.endsWith(' ***')) return null;
  return line.slice(WELCOME_PREFIX.length, -4);
}

/**
 * Lines that only a relay sends. An address that has not joined and sends one of these is another relay
 * (or a forgery of one); answering it could start a reply loop, so it is never answered.
 */
export function looksLikeRelayOutput(line: string): boolean {
  return line === PONG || isNotice(line) || parseChat(line) !== null;
}

// --- Rooms, direct messages, presence (protocol v1 extensions; docs/PROTOCOL.md "Rooms and more") ---

/** Every registered client starts in this room; the seed's single broadcast domain is this room. */
export const LOBBY = '#lobby';

/**
 * A line about one room. Lobby lines keep the seed's exact format, so a seed client (which lives in the
 * lobby) sees nothing new; lines of other rooms carry a `[#room] ` prefix.
 */
export const inRoom = (room: string, line: string): string => (room === LOBBY ? line : `[${room}] ${line}`);
export const action = (nick: string, text: string): string => `* ${nick} ${text}`;
export const DM_PREFIX = '[msg] ';
export const directMessage = (from: string, text: string): string => `${DM_PREFIX}<${from}> ${text}`;
export const directAction = (from: string, text: string): string => `${DM_PREFIX}* ${from} ${text}`;

export const notice = (text: string): string => `*** ${text} ***`;
export const roomJoined = (nick: string): string => notice(`${nick} joined`);
export const roomParted = (nick: string, reason: string): string =>
  notice(reason ? `${nick} left (${reason})` : `${nick} left`);
export const youJoinedRoom = (room: string): string => notice(`you joined ${room}; now talking in ${room}`);
export const youPartedRoom = (room: string, current: string): string =>
  notice(`you left ${room}; now talking in ${current}`);
export const nowTalkingIn = (room: string): string => notice(`now talking in ${room}`);
export const members = (list: string): string => notice(`members: ${list}`);
export const topicIs = (topic: string): string => notice(`topic: ${topic}`);
export const NO_TOPIC = notice('no topic is set');
export const topicSetBy = (nick: string, topic: string): string =>
  topic ? notice(`${nick} set the topic: ${topic}`) : notice(`${nick} cleared the topic`);
export const roomListEntry = (room: string, count: number, topic: string): string =>
  notice(`${room} (${count} ${count === 1 ? 'member' : 'members'})${topic ? `: ${topic}` : ''}`);
export const roomListEnd = (shown: number, total: number): string =>
  notice(shown < total ? `end of room list (${shown} of ${total} shown)` : `end of room list (${total})`);
export const renamed = (from: string, to: string): string => notice(`${from} is now known as ${to}`);
export const youAreNow = (nick: string): string => notice(`you are now known as ${nick}`);
export const whoEntry = (nick: string, idleSeconds: number, away: string | null): string =>
  notice(`${nick} idle ${formatIdle(idleSeconds)}${away === null ? '' : ` away: ${away || 'away'}`}`);
/** A member another relay of the cluster serves (`/who` in a cluster): where, not how idle. */
export const whoRemoteEntry = (nick: string, node: string): string => notice(`${nick} on relay ${node}`);
export const whoHeader = (room: string, count: number): string =>
  notice(`${room}: ${count} ${count === 1 ? 'member' : 'members'}`);
export const AWAY_SET = notice('you are marked as away');
export const AWAY_CLEARED = notice('you are back');
export const isAway = (nick: string, message: string): string =>
  notice(`${nick} is away: ${message || 'away'}`);
export const noSuchNick = (nick: string): string => notice(`no such nick: ${nick}`);
export const noSuchRoom = (room: string): string => notice(`no such room: ${room}`);
export const notInRoom = (room: string): string => notice(`you are not in ${room}`);
/** A plain line, or a command about "the current room", from a client that is in none (kicked out of #lobby). */
export const NO_CURRENT_ROOM = notice('you are in no room: /join #room first');
export const tooManyRooms = (max: number): string => notice(`you are in ${max} rooms already`);
export const ONLY_ROOM = notice('you cannot leave your only room (use /leave to quit)');
export const invalidRoom = (reason: string): string => notice(`invalid room name: ${reason}`);
export const unknownCommand = (name: string): string => notice(`unknown command: /${name} (try /help)`);
export const usage = (syntax: string): string => notice(`usage: ${syntax}`);
export const helpLine = (syntax: string, summary: string): string => notice(`${syntax}: ${summary}`);
export const THROTTLED = notice('you are sending too fast: line dropped');
export const TOO_MANY_FROM_ADDRESS = notice('too many clients from your address');
export const TRY_LATER = notice('too many attempts from your address: try again later');

// --- Stream transports (TCP, WebSocket): docs/PROTOCOL.md, "TCP and WebSocket" ---
export const streamLineTooLong = (max: number): string =>
  notice(`line refused: more than ${max} bytes without a newline`);
export const slowReader = (bytes: number): string =>
  notice(`disconnected: ${bytes} bytes waiting for you to read them`);
export const CONNECTION_IDLE = notice('disconnected: no line for too long');
export const TOO_MANY_CONNECTIONS = notice('too many connections: try again later');

/**
 * The WebSocket subprotocols: `udpchat-v1` carries plain v1 lines, one per message; with `udpchat-v1-ack`
 * every client message starts with an id tag and the relay answers each with an acknowledgement once it
 * has handled it. No line the relay relays starts with `@` (they start `***`, `<`, `*`, `[` or `/`), so
 * the acknowledgements cannot be mistaken for lines.
 */
export const WEB_PROTOCOL = 'udpchat-v1';
export const WEB_PROTOCOL_ACKS = 'udpchat-v1-ack';
export const ACK_ID_TAG = '@id=';
export const ACKED_TAG = '@ack=';
export const REFUSED_TAG = '@nak=';
export const taggedLine = (id: number, line: string): string => `${ACK_ID_TAG}${id} ${line}`;
export const acknowledged = (id: number): string => `${ACKED_TAG}${id}`;
export const notAcknowledged = (id: number, reason: string): string => `${REFUSED_TAG}${id} ${reason}`;

function formatIdle(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}
