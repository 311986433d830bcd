/**
 * How many terminal columns text takes. Text is cut into grapheme clusters (what a reader sees as one
 * character, UAX #29) so a cursor never lands inside "é" written as e + U+0301 or inside an emoji sequence.
 * A cluster's width follows UAX #11 (East Asian Width, from get-east-asian-width) the way terminals do:
 * wide and fullwidth characters (CJK, most emoji) take 2 columns, combining marks and other invisible
 * characters 0, ambiguous ones 1 (the UAX #11 advice when the context is unknown).
 */
import { eastAsianWidth } from 'get-east-asian-width';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Zero-width on a terminal: combining marks (variation selectors are Mn too), joiners and other format characters (Cf). */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const CONTROL = /^[\p{Cc}]$/u;
const REGIONAL_INDICATOR = /^\p{Regional_Indicator}$/u;
const EMOJI_PRESENTATION = '\ufe0f';

export type ColumnWidth = 0 | 1 | 2;

export function graphemes(text: string): string[] {
  const clusters: string[] = [];
  for (const { segment } of segmenter.segment(text)) clusters.push(segment);
  return clusters;
}

/** The columns one grapheme cluster takes. */
export function clusterWidth(cluster: string): ColumnWidth {
  let visible = false;
  let regionalIndicators = 0;
  for (const char of cluster) {
    if (CONTROL.test(char) || ZERO_WIDTH.test(char)) continue;
    const codePoint = char.codePointAt(0) ?? 0;
    if (eastAsianWidth(codePoint) === 2) return 2;
    if (REGIONAL_INDICATOR.test(char)) regionalIndicators += 1;
    visible = true;
  }
  if (!visible) return 0;
  // A flag is a pair of regional indicators; U+FE0F asks for the (wide) emoji form of a narrow symbol (❤️).
  if (regionalIndicators >= 2 || cluster.includes(EMOJI_PRESENTATION)) return 2;
  return 1;
}

/** The columns `text` takes on one row. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const cluster of graphemes(text)) width += clusterWidth(cluster);
  return width;
}
