/**
 * A command line read against a command's flag table, on node:util parseArgs. parseArgs runs non-strict
 * and hands back tokens, so every mistake is reported here in the CLI's own words, naming the command:
 * an unknown flag (with the nearest known one), a flag without its value, a bad value, a missing required
 * flag or argument, one argument too many.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { escapeForDisplay } from '../protocol/trace-format.ts';
import { closest } from './did-you-mean.ts';
import { type CommandSpec, type Flag, type FlagTable, type FlagValues, HELP_FLAG } from './flag-table.ts';
import { UsageError } from './usage-error.ts';

export interface ParsedCommandLine<F extends FlagTable> {
  readonly flags: FlagValues<F>;
  /** Positional arguments by name; undefined when not given. */
  readonly args: Readonly<Record<string, string | undefined>>;
  /** The flags that were on the command line (a default is not "given"). */
  readonly given: ReadonlySet<keyof F & string>;
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];
type OptionToken = Extract<Token, { kind: 'option' }>;

/** A usage error for the first of `names` on the command line: `--ttl needs --multicast`. */
export function rejectGivenFlags(given: ReadonlySet<string>, names: readonly string[], why: string): void {
  for (const name of names) if (given.has(name)) throw new UsageError('conflict', `--${name} ${why}`);
}

/** True when -h or --help comes before any `--`: help is answered whatever else is wrong. */
export function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

export function parseCommandLine<F extends FlagTable>(
  spec: CommandSpec<F>,
  args: readonly string[],
): ParsedCommandLine<F> {
  const { tokens } = parseArgs({
    args: [...args],
    options: parseArgsOptions(spec.flags),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const texts = new Map<string, (string | true)[]>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    else if (token.kind === 'option') {
      const text = optionText(spec, token, args);
      const earlier = repeats(spec.flags, token.name) ? (texts.get(token.name) ?? []) : [];
      // Delete first: the Map's order is the order of each flag's last appearance, the order reported.
      texts.delete(token.name);
      texts.set(token.name, [...earlier, text]);
    }
  }
  return {
    flags: flagValues(spec, texts),
    args: positionalArgs(spec, positionals),
    given: new Set([...texts.keys()].filter((name) => Object.hasOwn(spec.flags, name))),
  };
}

function parseArgsOptions(flags: FlagTable): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, flag] of [...Object.entries(flags), ['help', HELP_FLAG] as const]) {
    options[name] = {
      type: flag.kind === 'switch' ? 'boolean' : 'string',
      ...(flag.short === undefined ? {} : { short: flag.short }),
    };
  }
  return options;
}

/**
 * A separate value that looks like a flag (`--port --trace`) is taken as a forgotten value. parseArgs'
 * strict mode refuses every value that starts with a dash; here one with a blank in it (`--relay-args
 * "--idle-timeout 60"`) or a digit after its dash (`-5ms`) is a value, used or refused as such.
 * `--name=-x` always gives a value.
 */
const FLAG_LIKE = /^-[A-Za-z-]\S*$/;

function optionText<F extends FlagTable>(
  spec: CommandSpec<F>,
  token: OptionToken,
  args: readonly string[],
): string | true {
  const flag: Flag | undefined = token.name === 'help' ? HELP_FLAG : lookup(spec.flags, token.name);
  if (flag === undefined) throw unknownFlag(spec, token, args[token.index] ?? token.rawName);
  if (flag.kind === 'switch') {
    if (token.value !== undefined)
      throw new UsageError(
        'bad-value',
        `${token.rawName} takes no value, got "${escapeForDisplay(token.value)}"`,
      );
    return true;
  }
  if (token.value === undefined || (token.inlineValue !== true && FLAG_LIKE.test(token.value)))
    throw new UsageError('missing-value', `${token.rawName} needs a value`);
  return token.value;
}

function repeats(flags: FlagTable, name: string): boolean {
  const flag = lookup(flags, name);
  return flag?.kind === 'value' && flag.repeatable;
}

function lookup(flags: FlagTable, name: string): Flag | undefined {
  return Object.hasOwn(flags, name) ? flags[name] : undefined;
}

/** `-port` is read by parseArgs as `-p -o -r -t`: report the word as typed, and suggest `--port`. */
function unknownFlag<F extends FlagTable>(spec: CommandSpec<F>, token: OptionToken, arg: string): UsageError {
  const typed = token.rawName.startsWith('--') ? token.rawName : (arg.split('=')[0] ?? token.rawName);
  const word = typed.replace(/^-+/, '');
  const near = word.length > 1 ? closest(word, Object.keys(spec.flags)) : undefined;
  const hint = near === undefined ? '' : `, did you mean --${near}?`;
  return new UsageError('unknown-flag', `unknown flag ${escapeForDisplay(typed)}${hint} ${seeHelp(spec)}`);
}

function seeHelp<F extends FlagTable>(spec: CommandSpec<F>): string {
  return `(see udpchat ${spec.name} --help)`;
}

/** Values in the order they were typed, so the first mistake on the line is the one reported. */
function flagValues<F extends FlagTable>(
  spec: CommandSpec<F>,
  texts: ReadonlyMap<string, readonly (string | true)[]>,
): FlagValues<F> {
  const values: Record<string, unknown> = {};
  for (const [name, given] of texts) {
    const flag = lookup(spec.flags, name);
    if (flag === undefined) continue;
    if (flag.kind === 'switch') values[name] = true;
    else {
      const parsed = given.map((text) => flag.type.parse(String(text), `--${name}`));
      values[name] = flag.repeatable ? parsed : parsed.at(-1);
    }
  }
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (Object.hasOwn(values, name)) continue;
    if (flag.kind === 'switch') values[name] = false;
    else if (flag.repeatable) values[name] = [];
    else if (flag.required)
      throw new UsageError('missing-flag', `--${name} ${flag.placeholder} is required ${seeHelp(spec)}`);
    else values[name] = flag.default;
  }
  return values as FlagValues<F>;
}

function positionalArgs<F extends FlagTable>(
  spec: CommandSpec<F>,
  given: readonly string[],
): Record<string, string | undefined> {
  const expected = spec.positionals ?? [];
  const extra = given[expected.length];
  if (extra !== undefined)
    throw new UsageError(
      'unexpected-argument',
      `unexpected argument "${escapeForDisplay(extra)}" ${seeHelp(spec)}`,
    );
  const args: Record<string, string | undefined> = {};
  for (const [i, positional] of expected.entries()) {
    const value = given[i];
    if (value === undefined && positional.required === true)
      throw new UsageError('missing-argument', `missing <${positional.name}> ${seeHelp(spec)}`);
    args[positional.name] = value;
  }
  return args;
}
