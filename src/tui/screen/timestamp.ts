/**
 * Timestamps in a small strftime subset (config.toml `timestamp`, default `%H:%M`) and the day a line
 * belongs to, for the "day changed" lines. Local time: the clock on the wall next to the reader.
 */

export const DEFAULT_TIMESTAMP_FORMAT = '%H:%M';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => String(n).padStart(2, '0');

const DIRECTIVES: Readonly<Record<string, (at: Date) => string>> = {
  H: (at) => two(at.getHours()),
  M: (at) => two(at.getMinutes()),
  S: (at) => two(at.getSeconds()),
  d: (at) => two(at.getDate()),
  m: (at) => two(at.getMonth() + 1),
  Y: (at) => String(at.getFullYear()),
  a: (at) => WEEKDAYS[at.getDay()] ?? '',
  b: (at) => MONTHS[at.getMonth()] ?? '',
  '%': () => '%',
};

/** The directives a format may use, for config errors. */
export const TIMESTAMP_DIRECTIVES: readonly string[] = Object.keys(DIRECTIVES).map((d) => `%${d}`);

/** Why `format` is not a usable timestamp format, or null. */
export function timestampFormatProblem(format: string): string | null {
  for (const match of format.matchAll(/%(.?)/gsu)) {
    const directive = match[1] ?? '';
    if (!(directive in DIRECTIVES))
      return `unknown directive "%${directive}" (use ${TIMESTAMP_DIRECTIVES.join(' ')})`;
  }
  return null;
}

export function formatTimestamp(format: string, at: Date): string {
  return format.replace(/%(.)/gsu, (whole, directive: string) => DIRECTIVES[directive]?.(at) ?? whole);
}

/** A key that changes exactly when the local date does. */
export function dayKey(at: Date): string {
  return `${at.getFullYear()}-${at.getMonth()}-${at.getDate()}`;
}

/** `Tue 2 Jan 2024`, for the day-changed line. */
export function formatDay(at: Date): string {
  return `${WEEKDAYS[at.getDay()]} ${at.getDate()} ${MONTHS[at.getMonth()]} ${at.getFullYear()}`;
}
