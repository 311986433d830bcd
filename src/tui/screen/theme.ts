/**
 * The full-screen UI's colours (xterm 256-colour indices, overridable in config.toml) and the stable colour
 * of each nick: hashed from the nick (format.ts's FNV-1a), so a nick looks the same in every buffer, every
 * run and on everyone's screen.
 */
import { nickHash } from '../format.ts';
import type { Colour, Style } from './styled.ts';

export interface Theme {
  /** Nick colours; chosen to be readable on dark and light backgrounds alike. */
  readonly nicks: readonly Colour[];
  readonly own: Colour;
  readonly timestamp: Colour;
  readonly notice: Colour;
  readonly local: Colour;
  readonly good: Colour;
  readonly error: Colour;
  readonly mention: Colour;
  readonly barFg: Colour;
  readonly barBg: Colour;
  readonly marker: Colour;
  /** False: no colour at all (NO_COLOR, or `colours.enabled = false`); bold, dim and reverse remain. */
  readonly enabled: boolean;
}

export const DEFAULT_THEME: Theme = {
  nicks: [167, 173, 179, 107, 72, 74, 68, 134, 169, 136, 71, 140],
  own: 244,
  timestamp: 243,
  notice: 66,
  local: 178,
  good: 71,
  error: 203,
  mention: 206,
  barFg: 253,
  barBg: 24,
  marker: 203,
  enabled: true,
};

export function nickColour(theme: Theme, nick: string): Colour {
  return theme.nicks[nickHash(nick) % theme.nicks.length] ?? theme.own;
}

/** A foreground style, or no colour when colours are off. */
export function fg(theme: Theme, colour: Colour, extra: Style = {}): Style {
  return theme.enabled ? { ...extra, fg: colour } : extra;
}

/** The status and title bars: reverse video when colours are off, so they still stand out. */
export function barStyle(theme: Theme, extra: Style = {}): Style {
  // The extra style comes last: a state drawn in red on the bar keeps its red.
  return theme.enabled ? { fg: theme.barFg, bg: theme.barBg, ...extra } : { ...extra, reverse: true };
}
