/**
 * A subcommand's flags and positional arguments as data: each flag's value type, default and help text.
 * The parser (flag-parser.ts) and the help (help.ts) both read this table, so the help cannot drift from
 * what the command accepts.
 */
import type { ValueType } from './values.ts';

interface FlagBase {
  /** One phrase for the help, without the default (help.ts adds it). */
  readonly help: string;
  /** A one-letter alias, e.g. `h` for `-h`. */
  readonly short?: string;
}

/** A flag that is on when given (`--trace`). */
export interface SwitchFlag extends FlagBase {
  readonly kind: 'switch';
}

/**
 * A flag that takes a value (`--port 9999`). `T` is what its type parses to; `R` what the command gets:
 * `T` when there is a default or the flag is required, else `T | undefined`.
 */
export interface ValueFlag<T, R> extends FlagBase {
  readonly kind: 'value';
  readonly type: ValueType<T>;
  /** Stands for the value in help; the type's placeholder unless the table says better (`FILE`). */
  readonly placeholder: string;
  readonly default: T | undefined;
  /** The help's words for a default that is not one fixed value ("pretty on a terminal, json otherwise"). */
  readonly defaultText: string | undefined;
  readonly required: boolean;
  /** Given any number of times (`--room-key A --room-key B`): the command gets every value, in order. */
  readonly repeatable: boolean;
  /** Never set: it only carries R to FlagValues. */
  readonly parsed?: R;
}

export type Flag = SwitchFlag | ValueFlag<unknown, unknown>;
export type FlagTable = Readonly<Record<string, Flag>>;

/** What a command's run gets for its table: a boolean per switch, a parsed value per value flag. */
export type FlagValues<F extends FlagTable> = {
  readonly [K in keyof F]: F[K] extends ValueFlag<unknown, infer R> ? R : boolean;
};

export interface Positional {
  readonly name: string;
  readonly help: string;
  readonly required?: boolean;
}

/** What the parser needs to know of a command. */
export interface CommandSpec<F extends FlagTable> {
  /** `relay`, or `account add` for an action of a command group. */
  readonly name: string;
  readonly flags: F;
  readonly positionals?: readonly Positional[];
}

/** Every command answers `-h` and `--help`; tables do not list it. */
export const HELP_FLAG: SwitchFlag = { kind: 'switch', help: 'print this help', short: 'h' };

export function switchFlag(help: string): SwitchFlag {
  return { kind: 'switch', help };
}

interface ValueFlagOptions {
  readonly placeholder?: string;
}

/** With a default: the command always gets a value. */
export function valueFlag<T>(
  type: ValueType<T>,
  help: string,
  options: ValueFlagOptions & { readonly default: NoInfer<T> },
): ValueFlag<T, T>;
/** Required: the command line is refused without it. */
export function valueFlag<T>(
  type: ValueType<T>,
  help: string,
  options: ValueFlagOptions & { readonly required: true },
): ValueFlag<T, T>;
/** Optional, without a fixed default: undefined when not given (`defaultText` says what happens then). */
export function valueFlag<T>(
  type: ValueType<T>,
  help: string,
  options?: ValueFlagOptions & { readonly defaultText?: string },
): ValueFlag<T, T | undefined>;
export function valueFlag<T>(
  type: ValueType<T>,
  help: string,
  options: ValueFlagOptions & {
    readonly default?: T;
    readonly required?: true;
    readonly defaultText?: string;
  } = {},
): ValueFlag<T, T | undefined> {
  return {
    kind: 'value',
    type,
    help,
    placeholder: options.placeholder ?? type.placeholder,
    default: options.default,
    defaultText: options.defaultText,
    required: options.required === true,
    repeatable: false,
  };
}

/** A flag given any number of times: the command gets its values in the order typed, [] when absent. */
export function repeatableFlag<T>(
  type: ValueType<T>,
  help: string,
  options: ValueFlagOptions = {},
): ValueFlag<T, readonly T[]> {
  return {
    kind: 'value',
    type,
    help,
    placeholder: options.placeholder ?? type.placeholder,
    default: undefined,
    defaultText: undefined,
    required: false,
    repeatable: true,
  };
}
