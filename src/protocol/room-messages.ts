/**
 * The wire text of an end-to-end room line (docs/PROTOCOL-v2.md, "End-to-end rooms"): a plain chat line
 * that starts with this prefix and goes on in base64url, so every relay (v1 or v2, ours or the seed's)
 * routes, rate-limits and stores it like any line, and a member without the key sees what it is.
 */
export const ROOM_LINE_PREFIX = '[e2e] ';
