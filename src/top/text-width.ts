/**
 * Terminal columns for text that came over the network (nicks, refusal reasons, error messages): control
 * and invisible characters are replaced before display, since a metrics endpoint is not trusted to keep
 * escape sequences off the operator's terminal; East Asian wide characters count two columns.
 */
import { eastAsianWidth } from 'get-east-asian-width';

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Cn}]/gu;
const ZERO_WIDTH = /[\p{Mn}\p{Me}]/u;

export function printable(text: string): string {
  return text.replace(UNSAFE, '?');
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** Cuts `text` to at most `width` columns (marking a cut with `…`). */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return width > 0 ? `${out}…` : '';
}

export function padEnd(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

export function padStart(text: string, width: number): string {
  const cut = truncate(text, width);
  return ' '.repeat(Math.max(0, width - displayWidth(cut))) + cut;
}

function charWidth(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  return eastAsianWidth(char.codePointAt(0) ?? 0);
}
