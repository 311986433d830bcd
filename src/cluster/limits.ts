/** The caps of the shared streams, each with its reason. */

/**
 * Entries kept in the shared event stream. A relay away for longer than this many events resumes with a
 * `gap` and refills rooms from their own streams; at 10,000 events/s that is 10 s of absence.
 */
export const EVENT_STREAM_CAP = 100_000;

/** Lines kept per room stream: the same retention as a single relay's store. */
export const ROOM_STREAM_CAP = 10_000;

/** Private lines waiting in one relay's inbox: a relay that is away longer loses the oldest. */
export const INBOX_STREAM_CAP = 10_000;

/** Entries one read takes from the streams: bounds the work of one turn of the event loop. */
export const READ_COUNT = 512;

/** How long the answers to a relay's last batch are kept after it was reaped (a retry finds them). */
export const LAST_BATCH_KEEP_MS = 24 * 60 * 60 * 1000;
