/** node:util parseArgs, with its errors turned into one-line usage errors (exit code 2). */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedFlags {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

export function parseFlags(args: string[], options: Options, maxPositionals: number): ParsedFlags {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(message ?? 'bad arguments');
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
  }
  return { values: parsed.values as ParsedFlags['values'], positionals: parsed.positionals };
}

/** A string flag's value, or the default when it was not given. */
export function stringFlag(flags: ParsedFlags, name: string, fallback: string): string {
  const value = flags.values[name];
  return typeof value === 'string' ? value : fallback;
}
