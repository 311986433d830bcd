/**
 * The CLI's help, written from the commands' flag tables: usage lines, every flag with its placeholder
 * and default, and the overview `udpchat --help` prints. Nothing here restates a default by hand.
 */
import { createRequire } from 'node:module';
import { type CommandSpec, type Flag, type FlagTable, HELP_FLAG } from './flag-table.ts';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

export const VERSION: string = pkg.version;

/** Columns the help is wrapped to. */
const WIDTH = 100;
/** The flag column of a command's help is at most this wide; a longer flag puts its text on the next line. */
const FLAG_COLUMN = 26;

export interface HelpContent<F extends FlagTable> extends CommandSpec<F> {
  /** One sentence for `udpchat --help`. */
  readonly summary: string;
  /** Paragraphs (blank-line separated) for the command's own help, after its usage. */
  readonly description: string;
  /**
   * Usage lines, each after `udpchat `, for a command whose modes one generated line cannot show (bench);
   * otherwise the line is generated from the table.
   */
  readonly synopsis?: readonly string[];
  /** Paragraphs after the flag list: what the placeholders mean, exit codes. */
  readonly notes?: string;
}

/** The usage lines, wrapped, each continuation indented under the first word after the command. */
export function usageLines<F extends FlagTable>(content: HelpContent<F>): string[] {
  const synopses = content.synopsis?.map(synopsisItems) ?? [generatedSynopsis(content)];
  const indent = ' '.repeat(`udpchat ${content.name} `.length);
  return synopses.flatMap((items) => wrapWords(['udpchat', ...items], WIDTH - 8, indent));
}

/** `relay [--host H] [--port PORT] ...`: arguments, then required flags, then optional ones in brackets. */
function generatedSynopsis<F extends FlagTable>(content: HelpContent<F>): string[] {
  const flags = Object.entries(content.flags);
  return [
    content.name,
    ...(content.positionals ?? []).map((p) => (p.required === true ? `<${p.name}>` : `[${p.name}]`)),
    ...flags.filter(([, flag]) => isRequired(flag)).map(([name, flag]) => flagWithPlaceholder(name, flag)),
    ...flags
      .filter(([, flag]) => !isRequired(flag))
      .map(([name, flag]) => `[${flagWithPlaceholder(name, flag)}]`),
  ];
}

function isRequired(flag: Flag): boolean {
  return flag.kind === 'value' && flag.required;
}

function flagWithPlaceholder(name: string, flag: Flag): string {
  return flag.kind === 'switch' ? `--${name}` : `--${name} ${flag.placeholder}`;
}

/**
 * A written usage line's items: split at blanks outside brackets and parentheses, so `[--port PORT]` and
 * `(--spawn | --relay HOST:PORT)` never break inside, and never right after a bare flag, so
 * `--idle-clients N` stays together.
 */
function synopsisItems(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let item = '';
  for (const ch of text) {
    if (ch === '[' || ch === '(') depth++;
    if (ch === ']' || ch === ')') depth--;
    const afterBareFlag = item.startsWith('--') && !item.includes(' ');
    if (ch === ' ' && depth === 0 && !afterBareFlag) {
      items.push(item);
      item = '';
    } else item += ch;
  }
  items.push(item);
  return items.filter((i) => i.length > 0);
}

/** A command's `--help`. */
export function commandHelp<F extends FlagTable>(content: HelpContent<F>): string {
  const [first = '', ...rest] = usageLines(content);
  const usage = [`Usage: ${first}`, ...rest.map((line) => `       ${line}`)];
  const sections = [usage.join('\n'), paragraphs(content.description)];
  const positionals = content.positionals ?? [];
  if (positionals.length > 0)
    sections.push(['Arguments:', ...positionals.map((p) => column(`  ${p.name}`, p.help))].join('\n'));
  const flags = [...Object.entries(content.flags), ['help', HELP_FLAG] as const];
  sections.push(
    ['Flags:', ...flags.map(([name, flag]) => column(flagLabel(name, flag), flagText(flag)))].join('\n'),
  );
  if (content.notes !== undefined) sections.push(paragraphs(content.notes));
  return `${sections.join('\n\n')}\n`;
}

function flagLabel(name: string, flag: Flag): string {
  const long = flag.kind === 'switch' ? `--${name}` : `--${name} ${flag.placeholder}`;
  return flag.short === undefined ? `  ${long}` : `  -${flag.short}, ${long}`;
}

/** The flag's help and, for a value flag, its default: the table's own value, written as it is typed. */
function flagText(flag: Flag): string {
  if (flag.kind === 'switch') return flag.help;
  if (flag.required) return `${flag.help} (required)`;
  if (flag.repeatable) return `${flag.help} (repeatable)`;
  const fallback =
    flag.defaultText ?? (flag.default === undefined ? undefined : flag.type.format(flag.default));
  return fallback === undefined ? flag.help : `${flag.help} (default ${fallback})`;
}

/** `label   text`, the text wrapped in its column; a long label puts the text on the next line. */
function column(label: string, text: string): string {
  const indent = ' '.repeat(FLAG_COLUMN);
  const lines = wrapWords(text.split(' '), WIDTH - FLAG_COLUMN, '');
  const body = lines.map((line) => indent + line);
  if (label.length + 2 <= FLAG_COLUMN) body[0] = label.padEnd(FLAG_COLUMN) + (lines[0] ?? '');
  else body.unshift(label);
  return body.join('\n');
}

/** Blank-line separated paragraphs, each reflowed to the width (the source's line breaks do not matter). */
function paragraphs(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => wrapWords(paragraph.split(/\s+/), WIDTH, '').join('\n'))
    .join('\n\n');
}

/** Greedy word wrap; continuation lines start with `indent`. */
function wrapWords(words: readonly string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words.filter((w) => w.length > 0)) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && next.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `udpchat --help` (and `udpchat` alone): every command's usage and summary, from their tables. */
export function globalHelp(overviews: readonly string[]): string {
  return [
    `udpchat ${VERSION}: a chat relay over UDP`,
    '',
    'Usage:',
    ...overviews,
    '  udpchat --help | --version',
    '',
    paragraphs(
      `"udpchat <command> --help" describes a command's flags, their defaults and the values they take.
      A mistake on the command line prints one line, "udpchat <command>: <what is wrong>", and exits
      with status 2.`,
    ),
    '',
  ].join('\n');
}

/** One command's entry in `udpchat --help`: its usage lines and its summary below them. */
export function overview<F extends FlagTable>(content: HelpContent<F>): string {
  const usage = usageLines(content).map((line) => `  ${line}`);
  const summary = wrapWords(content.summary.split(' '), WIDTH - 6, '').map((line) => `      ${line}`);
  return [...usage, ...summary].join('\n');
}
