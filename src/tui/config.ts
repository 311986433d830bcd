/**
 * The terminal client's configuration file, TOML at `$XDG_CONFIG_HOME/udpchat/config.toml` (the XDG Base
 * Directory default `~/.config` when the variable is unset or not absolute). Everything in it is a default
 * that command-line arguments override. Every key is checked, and a mistake names the file, the key and
 * what was expected, instead of being silently ignored.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { checkNick } from '../protocol/nick.ts';
import { DEFAULT_THEME, type Theme } from './screen/theme.ts';
import { DEFAULT_TIMESTAMP_FORMAT, timestampFormatProblem } from './screen/timestamp.ts';

export interface ChatConfig {
  readonly nick?: string;
  readonly host?: string;
  readonly port?: number;
  /** strftime subset; empty for no timestamps. */
  readonly timestamp: string;
  readonly theme: Theme;
}

/** A bad config file: the CLI reports it as a usage error. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const DEFAULT_CONFIG: ChatConfig = { timestamp: DEFAULT_TIMESTAMP_FORMAT, theme: DEFAULT_THEME };

export function configPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const base = env.XDG_CONFIG_HOME;
  const dir = base !== undefined && isAbsolute(base) ? base : join(home, '.config');
  return join(dir, 'udpchat', 'config.toml');
}

/**
 * Reads the file. A missing file at the default path is no error (there are defaults); a missing file named
 * with `--config` is. `noColour` is the NO_COLOR convention (no-color.org), which beats the file.
 */
export async function loadConfig(path: string, explicit: boolean, noColour = false): Promise<ChatConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return withColour(DEFAULT_CONFIG, noColour);
    throw new ConfigError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return withColour(parseConfig(text, path), noColour);
}

function withColour(config: ChatConfig, noColour: boolean): ChatConfig {
  return noColour ? { ...config, theme: { ...config.theme, enabled: false } } : config;
}

type Table = Record<string, unknown>;

const TOP_KEYS = ['nick', 'relay', 'timestamp', 'colours'];
const RELAY_KEYS = ['host', 'port'];
/** The theme's single-colour fields. */
type ColourField = Exclude<keyof Theme, 'nicks' | 'enabled'>;

const COLOUR_KEYS: Readonly<Record<string, ColourField>> = {
  own: 'own',
  timestamp: 'timestamp',
  notice: 'notice',
  local: 'local',
  good: 'good',
  error: 'error',
  mention: 'mention',
  bar_fg: 'barFg',
  bar_bg: 'barBg',
  marker: 'marker',
};

export function parseConfig(text: string, path: string): ChatConfig {
  let document: Table;
  try {
    document = parse(text) as Table;
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line}, column ${error.column})` : '';
    const what = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new ConfigError(`${path}${where}: ${what}`);
  }
  const fail = (message: string): never => {
    throw new ConfigError(`${path}: ${message}`);
  };
  knownKeys(document, TOP_KEYS, '', fail);
  const relay = optionalTable(document.relay, 'relay', fail);
  knownKeys(relay, RELAY_KEYS, 'relay.', fail);
  return {
    ...optionalNick(document.nick, fail),
    ...optionalHost(relay.host, fail),
    ...optionalPort(relay.port, fail),
    timestamp: timestampFormat(document.timestamp, fail),
    theme: theme(optionalTable(document.colours, 'colours', fail), fail),
  };
}

type Fail = (message: string) => never;

function knownKeys(table: Table, known: readonly string[], prefix: string, fail: Fail): void {
  for (const key of Object.keys(table)) {
    if (!known.includes(key))
      fail(`unknown key "${prefix}${key}" (known: ${known.map((k) => prefix + k).join(', ')})`);
  }
}

function optionalTable(value: unknown, name: string, fail: Fail): Table {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(`"${name}" must be a table ([${name}])`);
  return value as Table;
}

function optionalNick(value: unknown, fail: Fail): { nick?: string } {
  if (value === undefined) return {};
  if (typeof value !== 'string') return fail('"nick" must be a string');
  const check = checkNick(value.trim());
  if (!check.ok) return fail(`"nick" is not a valid nickname: ${check.reason}`);
  return { nick: value.trim() };
}

function optionalHost(value: unknown, fail: Fail): { host?: string } {
  if (value === undefined) return {};
  if (typeof value !== 'string' || value.trim() === '')
    return fail('"relay.host" must be a non-empty string');
  return { host: value.trim() };
}

function optionalPort(value: unknown, fail: Fail): { port?: number } {
  if (value === undefined) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535)
    return fail(`"relay.port" must be a port number 1-65535, got ${JSON.stringify(value)}`);
  return { port: value };
}

function timestampFormat(value: unknown, fail: Fail): string {
  if (value === undefined) return DEFAULT_TIMESTAMP_FORMAT;
  if (typeof value !== 'string') return fail('"timestamp" must be a string ("" for none)');
  const problem = timestampFormatProblem(value);
  return problem === null ? value : fail(`"timestamp": ${problem}`);
}

function theme(table: Table, fail: Fail): Theme {
  knownKeys(table, ['enabled', 'nicks', ...Object.keys(COLOUR_KEYS)], 'colours.', fail);
  const colours: { -readonly [K in ColourField]: number } = { ...DEFAULT_THEME };
  for (const [key, field] of Object.entries(COLOUR_KEYS)) {
    if (table[key] !== undefined) colours[field] = colour(table[key], `colours.${key}`, fail);
  }
  return { ...colours, nicks: nickColours(table.nicks, fail), enabled: enabled(table.enabled, fail) };
}

function enabled(value: unknown, fail: Fail): boolean {
  if (value === undefined) return DEFAULT_THEME.enabled;
  return typeof value === 'boolean' ? value : fail('"colours.enabled" must be true or false');
}

function nickColours(value: unknown, fail: Fail): readonly number[] {
  if (value === undefined) return DEFAULT_THEME.nicks;
  if (!Array.isArray(value) || value.length === 0)
    return fail('"colours.nicks" must be a non-empty array of colours 0-255');
  return value.map((item: unknown, index) => colour(item, `colours.nicks[${index}]`, fail));
}

function colour(value: unknown, name: string, fail: Fail): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255) return value;
  return fail(`"${name}" must be an xterm colour number 0-255, got ${JSON.stringify(value)}`);
}

/** The file a first run writes: the chosen nick, and every other setting commented out at its default. */
export function configTemplate(nick: string): string {
  return `# udpchat terminal client (udpchat chat). Command-line arguments override these.
nick = ${JSON.stringify(nick)}

# [relay]
# host = "127.0.0.1"
# port = 9999

# Timestamps: %H %M %S %d %m %Y %a %b %% ("" for none).
# timestamp = "${DEFAULT_TIMESTAMP_FORMAT}"

# xterm 256-colour numbers; NO_COLOR in the environment turns colours off.
# [colours]
# enabled = true
# nicks = [${DEFAULT_THEME.nicks.join(', ')}]
# own = ${DEFAULT_THEME.own}
# mention = ${DEFAULT_THEME.mention}
# bar_fg = ${DEFAULT_THEME.barFg}
# bar_bg = ${DEFAULT_THEME.barBg}
`;
}
