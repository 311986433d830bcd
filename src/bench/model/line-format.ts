/**
 * The bench's chat lines: `b <step> <sender> <seq> <sentUs>`, plain digits, so the relay relays them as
 * ordinary text (`<nick> b 3 17 942 12345678`) and each receiver learns which step and sender a line
 * belongs to, its place in that sender's sequence and when it was sent (µs on the shared monotonic clock).
 * Parsing works on the received bytes directly: no string is built per delivery.
 */

export interface BenchLine {
  step: number;
  sender: number;
  seq: number;
  sentUs: number;
}

const SPACE = 0x20;
const GREATER = 0x3e;
const LOWER_B = 0x62;
const NEWLINE = 0x0a;
const CR = 0x0d;
const ZERO = 0x30;
const NINE = 0x39;

export function formatBenchLine(line: BenchLine): string {
  return `b ${line.step} ${line.sender} ${line.seq} ${line.sentUs}\n`;
}

/**
 * Reads a relayed bench line (`<nick> b ...`) into `out`; false for anything else (notices, /pong, other
 * chat). `out` is reused by the caller so a delivery allocates nothing.
 */
export function parseRelayedBenchLine(bytes: Uint8Array, out: BenchLine): boolean {
  // The nick never contains '>' (our nicks are letters and digits), so the first '>' closes it.
  const close = bytes.indexOf(GREATER);
  if (close < 0 || bytes[close + 1] !== SPACE || bytes[close + 2] !== LOWER_B || bytes[close + 3] !== SPACE)
    return false;
  let at = close + 4;
  for (let field = 0; field < FIELDS; field++) {
    let value = 0;
    const first = at;
    for (; at < bytes.length; at++) {
      const b = bytes[at] ?? 0;
      if (b < ZERO || b > NINE) break;
      value = value * 10 + (b - ZERO);
    }
    const digits = at - first;
    if (digits === 0 || digits > MAX_DIGITS || !endsField(bytes[at], field === FIELDS - 1)) return false;
    at++;
    setField(out, field, value);
  }
  return true;
}

const FIELDS = 4;
/** Numbers stay exact in a double up to 2^53; 15 digits is well inside that. */
const MAX_DIGITS = 15;

/** Fields are separated by one space; the last ends the datagram, optionally with a line end. */
function endsField(next: number | undefined, last: boolean): boolean {
  if (!last) return next === SPACE;
  return next === undefined || next === NEWLINE || next === CR;
}

function setField(out: BenchLine, field: number, value: number): void {
  if (field === 0) out.step = value;
  else if (field === 1) out.sender = value;
  else if (field === 2) out.seq = value;
  else out.sentUs = value;
}
