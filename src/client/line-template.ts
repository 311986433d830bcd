/**
 * Recognising the relay's lines from the templates that write them (protocol/messages.ts), so the client
 * never re-types a wording: when a wording changes, the relay and the client change together.
 */

/** What a template's placeholder may hold: one word (a nick or a room) or any text (a reason, a topic). */
export type Slot = 'word' | 'text';

/** Matches one line against a template; the slots' values in order, or null when the line is not of it. */
export type LineMatcher = (line: string) => string[] | null;

const SLOT_PATTERN: Readonly<Record<Slot, string>> = { word: '\\S+', text: '.*' };

/**
 * Builds a matcher from a template by calling it with markers that no wire text contains (NUL and a digit),
 * then escaping everything around them. `slots` gives the kind of each of the template's parameters. A
 * parameter the template uses twice (`you joined #x; now talking in #x`) must hold the same value twice.
 */
export function lineMatcher(template: (...values: string[]) => string, slots: readonly Slot[]): LineMatcher {
  const markers = slots.map((_, index) => `\u0000${index}\u0000`);
  let source = escapeRegExp(template(...markers));
  slots.forEach((slot, index) => {
    const marker = markers[index] ?? '';
    const first = source.indexOf(marker);
    if (first < 0) return;
    const rest = source
      .slice(first + marker.length)
      .split(marker)
      .join(`\\k<s${index}>`);
    source = `${source.slice(0, first)}(?<s${index}>${SLOT_PATTERN[slot]})${rest}`;
  });
  const pattern = new RegExp(`^${source}$`, 'su');
  return (line) => {
    const groups = pattern.exec(line)?.groups;
    return groups === undefined ? null : slots.map((_, index) => groups[`s${index}`] ?? '');
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
