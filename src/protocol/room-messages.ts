/**
 * The wire text of an end-to-end room line (docs/PROTOCOL-v2.md, "End-to-end rooms"): a plain chat line
 * that starts with this prefix and goes on in base64url, so every relay (v1 or v2, ours or the seed's)
 * routes, rate-limits and stores it like any line, and a member without the key sees what it is.
 */
export const ROOM_LINE_PREFIX = '[e2e] ';

/**
 * What a member is shown instead of a line it cannot open (docs/PROTOCOL-v2.md 13.3, "What a member
 * sees"): never base64 noise presented as chat.
 */
export const NEWER_FORMAT = '(encrypted line of a newer format)';
export const noRoomKey = (room: string): string => `(encrypted line: you have no key for ${room})`;
export const otherPassphrase = (room: string): string =>
  `(encrypted with another passphrase than yours for ${room})`;
export const FAILED_TO_VERIFY = '(encrypted line that failed to verify: altered or misattributed)';
/** After an opened line whose seq is not above the last one seen from its sender (13.3, seq). */
export const REPEATED = '(repeated)';
/** What marks an opened line where a UI shows it as text (before the nick, where no sender can write). */
export const OPENED_MARK = '[e2e]';
