/**
 * Every size, count and timing limit of the v1 protocol, in one place.
 * Sizes are in bytes unless the name says characters (Unicode code points, as the seed's Python `len`).
 */

/** The seed caps nicknames at 32 characters (`[:32]`); we refuse longer ones instead of truncating. */
export const MAX_NICK_CHARS = 32;

/** The seed's "Common pitfalls" recommends capping a message at 1,024 characters. */
export const MAX_LINE_CHARS = 1024;

/**
 * No datagram we send is larger than this (RFC 8085 section 3.2; QUIC's minimum path MTU, RFC 9000 section 14).
 * A relayed line that would not fit is refused, never truncated.
 */
export const MAX_DATAGRAM_BYTES = 1200;

/**
 * The longest relayed form of a line (`[#room] <nick> text`, without its `\n`) the relay sends, to every
 * member alike: the text a v2 LINE frame can carry in one DATA (1,200 - 39 - 7, docs/PROTOCOL-v2.md §7).
 * A v1 datagram could hold 45 bytes more; one bound for both keeps v1 and v2 members seeing the same lines
 * (a longer line would reach v1 members and be dropped for v2 ones). test/protocol/v2/wire-frames.test.ts
 * checks it against the v2 frame codec.
 */
export const MAX_RELAYED_LINE_BYTES = 1154;

/**
 * A datagram larger than this is refused before it is decoded. The largest valid line (1,024 characters of
 * four UTF-8 bytes each) plus `\r\n` is 4,098 bytes; the seed reads with `recvfrom(4096)`.
 */
export const MAX_INBOUND_DATAGRAM_BYTES = 4100;

/** One line per datagram is normal; a few are accepted, more are refused so one datagram cannot fan out. */
export const MAX_LINES_PER_DATAGRAM = 8;

/** Seed defaults: a client idle for 30 s is evicted; the reaper runs every 5 s; clients ping every 10 s. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_SWEEP_INTERVAL_MS = 5_000;
export const DEFAULT_PING_INTERVAL_MS = 10_000;

/** Pings are spread by up to this fraction of the interval so many clients do not ping in lock-step. */
export const PING_JITTER_FRACTION = 0.1;

/** The client warns when the relay has said nothing for this long (three ping intervals). */
export const DEFAULT_SILENCE_WARNING_MS = 30_000;

/** A client that got no welcome re-sends its /join this often, at most JOIN_ATTEMPTS times in all. */
export const JOIN_RETRY_MS = 2_000;
export const JOIN_ATTEMPTS = 5;

/**
 * Replies to addresses that have not joined (the "please /join" hint, join refusals) are rate-limited per
 * address: a forged source cannot turn the relay into a reflector, and two relays cannot ping-pong.
 */
export const UNJOINED_REPLY_BURST = 3;
export const UNJOINED_REPLY_PER_SECOND = 1;
/** How many source addresses the unjoined-reply limiter remembers (oldest forgotten first). */
export const UNJOINED_REPLY_TRACKED = 4096;

/** The port the seed's relay binds. */
export const DEFAULT_PORT = 9999;

/** On SIGINT/SIGTERM the relay gives its goodbye datagrams this long to leave before it exits. */
export const SHUTDOWN_GRACE_MS = 1_000;

// --- Rooms, presence, flood control, accounts, keep-alive (issue: rooms and more) ---

/** Flood control per client (IRC's lesson: throttle, don't kick): a burst of 10 lines, then 4 per second. */
export const DEFAULT_LINE_BURST = 10;
export const DEFAULT_LINE_RATE = 4;
/** A throttled client is told at most once per second. */
export const THROTTLE_NOTICE_INTERVAL_MS = 1_000;
/** At most this many clients per source host (so one host cannot fill the table). */
export const DEFAULT_MAX_PER_ADDRESS = 64;
/** Registrations per source host: a burst of 10, then 1 per second. */
export const DEFAULT_JOIN_BURST = 10;
export const DEFAULT_JOIN_RATE = 1;
/** Nick changes per source host: a burst of 5, then one every 2 s. */
export const DEFAULT_NICK_BURST = 5;
export const DEFAULT_NICK_RATE = 0.5;
/** Failed logins per source host: a burst of 5, then one every 12 s (5 a minute). */
export const AUTH_FAILURE_BURST = 5;
export const AUTH_FAILURE_RATE = 1 / 12;
/** Secrets checked at once; more logins wait for a slot or are refused. */
export const MAX_PENDING_LOGINS = 64;
/** How many hosts the per-host limiters remember. */
export const TRACKED_HOSTS = 4096;
/** Secrets are at most this many characters. */
export const MAX_SECRET_CHARS = 128;
/** Topic, away and kick/kill reasons are at most this many characters. */
export const MAX_TOPIC_CHARS = 300;
/** /rooms lists at most this many rooms. */
export const MAX_ROOMS_LISTED = 50;
/** /who lists at most this many members. */
export const MAX_WHO_LISTED = 100;
/** Rooms one client may be in at once. */
export const MAX_ROOMS_PER_CLIENT = 20;
/**
 * Bans per room. A room's bans live as long as the room, so an operator banning every passer-by must not
 * grow them without bound.
 */
export const MAX_BANS_PER_ROOM = 100;
/** Pending invitations per room. They live as long as the room, so they are bounded like its bans. */
export const MAX_INVITES_PER_ROOM = 100;
/**
 * A `members:` line holds at most this many bytes of nicks: the room prefix (up to 4 x 33 bytes) and the
 * notice framing fit in the rest of a MAX_DATAGRAM_BYTES datagram.
 */
export const MEMBER_LIST_BYTES = 1000;

/**
 * Server-driven keep-alive (the seed's variant): ping a client silent for 10 s, repeat an unanswered ping
 * every 2 s, drop the client after 3 misses (about 16 s after it went silent).
 */
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 10_000;
export const DEFAULT_KEEPALIVE_MISSES = 3;
export const DEFAULT_KEEPALIVE_PONG_TIMEOUT_MS = 2_000;

// --- Local queues: never on the wire, but bounded like everything else ---

/** Lines a client keeps while no session is up (probing for v2, or a lost v2 session being replaced). */
export const MAX_WAITING_LINES = 256;
/** Datagrams each sender thread may hold waiting; beyond, a send is dropped and counted as an error. */
export const SEND_THREAD_QUEUE_LIMIT = 65_536;

// --- Stream transports: v1 lines over TCP and WebSocket (docs/PROTOCOL.md, "TCP and WebSocket") ---

/**
 * A line over TCP may be as long as a v1 datagram may be large: the longest valid line (1,024 characters of
 * four bytes each) and `\r\n` fit. Past this many bytes without a newline the line is refused and the rest
 * of it, up to its newline, is discarded as it arrives: nothing longer is ever buffered.
 */
export const MAX_STREAM_LINE_BYTES = MAX_INBOUND_DATAGRAM_BYTES;
/**
 * A WebSocket text message is handled as one v1 datagram, so the datagram's limit holds; the ack tag
 * (`@id=N `, at most 17 bytes) rides on top. Larger frames are refused by the ws library before they are
 * buffered (it closes with 1009), so this stays small instead of ws's 100 MiB default.
 */
export const MAX_WEB_MESSAGE_BYTES = MAX_INBOUND_DATAGRAM_BYTES + 32;
/**
 * Bytes the relay may hold queued for one stream client that is not reading. A client this far behind (at
 * 200-byte lines, about 1,300 lines) is disconnected with a notice: a slow reader never grows the relay's
 * memory without bound, and the others are not held back for it (TCP cannot skip what it cannot deliver).
 */
export const MAX_STREAM_QUEUED_BYTES = 256 * 1024;
/** After the goodbye (slow reader, eviction, shutdown) a connection that does not close is cut this much later. */
export const STREAM_CLOSE_GRACE_MS = 2_000;
/** TCP and WebSocket connections at once, joined or not; each holds a file descriptor. */
export const MAX_STREAM_CONNECTIONS = 20_000;
/** Acknowledgement ids (`@id=N`) are counted up by the client from 0 and stay below this. */
export const MAX_WEB_ACK_ID = 2 ** 31 - 1;
/** The web client opens a dropped WebSocket again after 0.5 s, doubling to 10 s, each wait jittered ±20 %. */
export const WEB_RECONNECT_FIRST_MS = 500;
export const WEB_RECONNECT_MAX_MS = 10_000;
/**
 * A stream connection that completes no line for this many idle timeouts is closed by its binding. Twice,
 * so that a joined client gone silent is evicted by the relay core first (its peers hear "timed out", as
 * over UDP); the binding's own close is for connections the core does not know: never joined, or a
 * trickle of bytes that never makes a line.
 */
export const STREAM_IDLE_FACTOR = 2;

/** No history answer holds more lines than this (a /history count, a page, a gap fill). */
export const MAX_HISTORY_PAGE = 200;

/**
 * Resumption (docs/PROTOCOL-v2.md, section 16). A sealed ticket is at most this many bytes, so its
 * base64url form (4/3 as long) fits one line both ways: `*** resume ticket ... ***` and `/resume <ticket>
 * <proof>` stay under MAX_LINE_CHARS. Rooms that would not fit are left out of the ticket (the client
 * joins them again itself after resuming).
 */
export const MAX_TICKET_BYTES = 600;
/** Ticket ids a relay remembers as used (each until its ticket expires); past it the oldest is forgotten. */
export const MAX_SPENT_TICKETS = 16_384;
