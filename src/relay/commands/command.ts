/** The shape of one protocol command: how a line is recognised, and what the relay does with it. */
import type { Address } from '../../protocol/address.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session-table.ts';

export interface LineCommand {
  /** The command as documented, e.g. `/join <nick>`. */
  readonly syntax: string;
  /** False only for commands an unjoined address may send (the seed's `/join`). */
  readonly requiresSession: boolean;
  /** The command's arguments when `line` is this command, otherwise null. */
  match(line: string): string | null;
  handle(ctx: RelayContext, from: Address, session: Session | undefined, args: string): void;
}

/** Matches a command with no arguments: the seed compares whole lines (`line == '/ping'`). */
export function exactly(word: string): (line: string) => string | null {
  return (line) => (line === word ? '' : null);
}

/** Matches `prefix` followed by arguments: the seed tests `line.startswith('/join ')`. */
export function prefixed(prefix: string): (line: string) => string | null {
  return (line) => (line.startsWith(prefix) ? line.slice(prefix.length) : null);
}
