/**
 * Text read back from the file is made safe again before anyone sees it. The relay only ever writes text
 * it has sanitised and checked, but a file edited by hand (or by another program) must not be able to put
 * an escape sequence on a terminal or an oversized line on the wire.
 */
import { MAX_LINE_CHARS, MAX_NICK_CHARS, MAX_TOPIC_CHARS } from '../../protocol/limits.ts';
import { sanitizeText } from '../../protocol/sanitize.ts';

export function keptLineText(text: string): string {
  return capped(sanitizeText(text), MAX_LINE_CHARS);
}

export function keptTopic(text: string): string {
  return capped(sanitizeText(text), MAX_TOPIC_CHARS);
}

/** Nicks and room names (a room name is a nick-sized name behind its `#`). */
export function keptName(text: string): string {
  return capped(sanitizeText(text), MAX_NICK_CHARS + 1);
}

/** At most `maxChars` code points, cut between code points. */
function capped(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return Array.from(text).slice(0, maxChars).join('');
}
