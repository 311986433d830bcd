/**
 * The single place text is made safe, before a relay relays it and before a client prints it, and the
 * single definition of what is unsafe in text that came from someone else.
 *
 * An unsafe code point is one that can act on a terminal, or that a reader cannot see: a control (Cc: C0,
 * DEL, C1), a format character (Cf: the bidi controls of UAX #9, "Trojan Source", CVE-2021-42574; the
 * zero-width characters; the byte order mark; the soft hyphen; tag characters), a line or paragraph
 * separator (Zl, Zp), a private-use code point (Co, drawn differently by every font), a lone surrogate (Cs)
 * or an unassigned code point (Cn, which a newer terminal may draw as something). Text shown as it is, on
 * one line, for an operator (--trace, the pretty log, `udpchat top`) escapes or masks every one of them
 * (replaceUnsafe), and a nickname or room name may contain none (protocol/nick.ts).
 *
 * A chat line cannot lose all of them: the zero-width joiner holds emoji sequences together and the
 * zero-width non-joiner is part of Persian and Indic spelling. sanitizeText removes the unsafe code points
 * that act on a terminal or reorder the text around them, with the sequences they introduce:
 * - ECMA-48 escape sequences (ECMA-48 5th ed., section 5), in the 7-bit ESC form and the 8-bit C1 form:
 *   control sequences (CSI), the control strings OSC, DCS, APC, PM and SOS up to their terminator, and
 *   the other escape sequences of ECMA-35 (ESC, intermediates 0x20-0x2F, one final byte 0x30-0x7E);
 * - then every remaining C0 control except TAB, DEL, every C1 control (U+0080-U+009F);
 * - the bidi controls of UAX #9 (ALM, LRM, RLM, embeddings, overrides, isolates) and the line/paragraph
 *   separators U+2028/U+2029.
 * Everything else, printable text, TAB, emoji, CJK, combining marks, is kept unchanged.
 *
 * sanitizeText is a hand-written single-pass scanner, not a regular expression, so it is linear in the
 * length of hostile input and never throws. Because sequences are only ever introduced by ESC or a C1
 * control, and both are always removed, the output contains no sequence a terminal could act on.
 */

/** Every unsafe code point (see above). With the `u` flag a lone surrogate is one code point, in Cs. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Cn}]/u;
const EVERY_UNSAFE = new RegExp(UNSAFE.source, 'gu');

/** True when `text` contains at least one unsafe code point. */
export function containsUnsafe(text: string): boolean {
  return UNSAFE.test(text);
}

/**
 * `text` with every unsafe code point replaced by what `replacement` makes of it: an escape where the text
 * must stay readable and exact (--trace, logs), a mask where only its columns matter (`udpchat top`).
 */
export function replaceUnsafe(text: string, replacement: (char: string) => string): string {
  return text.replace(EVERY_UNSAFE, replacement);
}

/** `text` with every unsafe code point shown as `?`: one column each, so a measured layout still holds. */
export function maskUnsafe(text: string): string {
  return replaceUnsafe(text, () => '?');
}

const TAB = 0x09;
const BEL = 0x07;
const ESC = 0x1b;
const DEL = 0x7f;

/** 8-bit C1 introducers and terminator (ECMA-48 section 5.3). */
const C1_DCS = 0x90;
const C1_SOS = 0x98;
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_OSC = 0x9d;
const C1_PM = 0x9e;
const C1_APC = 0x9f;

/** The final characters of ESC Fe sequences, the 7-bit forms of the C1 introducers (ECMA-48 5.3). */
const FE_DCS = 0x50; // P
const FE_SOS = 0x58; // X
const FE_CSI = 0x5b; // [
const FE_ST = 0x5c; // backslash
const FE_OSC = 0x5d; // ]
const FE_PM = 0x5e; // ^
const FE_APC = 0x5f; // _

/** Returns `text` without the escape sequences and controls that act on a terminal. Never throws. */
export function sanitizeText(text: string): string {
  let out = '';
  let keptFrom = 0;
  let index = 0;
  while (index < text.length) {
    if (isRemovedUnit(text.charCodeAt(index))) {
      out += text.slice(keptFrom, index);
      index = endOfRemoved(text, index);
      keptFrom = index;
    } else {
      index += 1;
    }
  }
  return out + text.slice(keptFrom);
}

/**
 * True when sanitizeText would change `text`. Every removed sequence starts with ESC or a C1 control,
 * both removed units themselves, so looking for a single removed unit is enough.
 */
export function needsSanitizing(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    if (isRemovedUnit(text.charCodeAt(index))) return true;
  }
  return false;
}

/**
 * A UTF-16 unit sanitizeText never keeps: the unsafe code points that act on a terminal or reorder text
 * (a subset of UNSAFE, which the tests check). All of them are BMP code points, so no pair is split.
 */
function isRemovedUnit(unit: number): boolean {
  if (unit < 0x20) return unit !== TAB;
  if (unit < DEL) return false;
  if (unit <= 0x9f) return true; // DEL and C1
  return isBidiControl(unit) || unit === 0x2028 || unit === 0x2029;
}

/** UAX #9 explicit formatting characters and marks (ALM, LRM, RLM, LRE..RLO, LRI..PDI). */
function isBidiControl(unit: number): boolean {
  return (
    unit === 0x061c ||
    unit === 0x200e ||
    unit === 0x200f ||
    (unit >= 0x202a && unit <= 0x202e) ||
    (unit >= 0x2066 && unit <= 0x2069)
  );
}

/** `index` is at a removed unit; returns the index just after what must be removed with it. */
function endOfRemoved(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  switch (unit) {
    case ESC:
      return endOfEscape(text, index + 1);
    case C1_CSI:
      return endOfControlSequence(text, index + 1);
    case C1_OSC:
      return endOfControlString(text, index + 1, true);
    case C1_DCS:
    case C1_SOS:
    case C1_PM:
    case C1_APC:
      return endOfControlString(text, index + 1, false);
    default:
      return index + 1;
  }
}

/** `index` is just after an ESC. A lone ESC (at the end, or before a non-ASCII unit) is removed alone. */
function endOfEscape(text: string, index: number): number {
  switch (text.charCodeAt(index)) {
    case FE_CSI:
      return endOfControlSequence(text, index + 1);
    case FE_OSC:
      return endOfControlString(text, index + 1, true);
    case FE_DCS:
    case FE_SOS:
    case FE_PM:
    case FE_APC:
      return endOfControlString(text, index + 1, false);
    default:
      return endOfOtherEscape(text, index);
  }
}

/**
 * ECMA-35 section 13: ESC, any intermediates 0x20-0x2F, then one final byte 0x30-0x7E; this covers the
 * two-character sequences (ESC c, ESC 7, a stray ESC \) and the charset designations such as ESC ( B, whose
 * final byte a terminal swallows too. An ESC followed by anything else is removed alone.
 */
function endOfOtherEscape(text: string, index: number): number {
  let end = index;
  while (isInRange(text.charCodeAt(end), 0x20, 0x2f)) end += 1;
  if (isInRange(text.charCodeAt(end), 0x30, 0x7e)) end += 1;
  return end;
}

/**
 * ECMA-48 section 5.4: after the CSI come parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F and one
 * final byte 0x40-0x7E. A sequence cut short by any other unit ends there; that unit is then judged on
 * its own (kept if printable), which is safe because the introducer is already gone.
 */
function endOfControlSequence(text: string, index: number): number {
  let end = index;
  while (isInRange(text.charCodeAt(end), 0x30, 0x3f)) end += 1;
  while (isInRange(text.charCodeAt(end), 0x20, 0x2f)) end += 1;
  if (isInRange(text.charCodeAt(end), 0x40, 0x7e)) end += 1;
  return end;
}

/**
 * ECMA-48 sections 8.3.2 (APC), 8.3.27 (DCS), 8.3.89 (OSC), 8.3.94 (PM), 8.3.128 (SOS): a control string
 * runs up to STRING TERMINATOR, ESC \ or C1 0x9C. xterm also ends OSC at BEL, and OSC 0 / 8 / 52 are
 * commonly sent that way. An unterminated string is removed to the end of the text: its content was
 * meant for the terminal, never for the reader.
 */
function endOfControlString(text: string, index: number, belTerminates: boolean): number {
  for (let end = index; end < text.length; end += 1) {
    const unit = text.charCodeAt(end);
    if (unit === C1_ST || (belTerminates && unit === BEL)) return end + 1;
    if (unit === ESC && text.charCodeAt(end + 1) === FE_ST) return end + 2;
  }
  return text.length;
}

/** NaN (reading past the end) is in no range. */
function isInRange(unit: number, low: number, high: number): boolean {
  return unit >= low && unit <= high;
}
