/** A bad flag or value: the CLI prints `udpchat: <message>` and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses a port number; 0 means "let the kernel choose". */
export function parsePort(text: string, what: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`${what} must be a port number 0-65535, got "${text}"`);
  const port = Number(text);
  if (port > 65535) throw new UsageError(`${what} must be a port number 0-65535, got "${text}"`);
  return port;
}

/** Parses a positive duration in seconds (fractions allowed) and returns milliseconds. */
export function parseSeconds(text: string, what: string): number {
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text))
    throw new UsageError(`${what} must be a number of seconds, got "${text}"`);
  const ms = Number(text) * 1000;
  if (!(ms > 0) || !Number.isFinite(ms))
    throw new UsageError(`${what} must be greater than 0, got "${text}"`);
  return ms;
}

/** Parses a whole number >= 0 (a count, where 0 usually means "off"). */
export function parseCount(text: string, what: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${what} must be a whole number >= 0, got "${text}"`);
  return Number(text);
}

/** Parses a rate >= 0 (fractions allowed; 0 usually means "off"). */
export function parseRate(text: string, what: string): number {
  if (!/^\d{1,9}(\.\d+)?$|^\.\d+$/.test(text))
    throw new UsageError(`${what} must be a number >= 0, got "${text}"`);
  return Number(text);
}
