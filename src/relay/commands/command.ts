/** The shape of one protocol command: its name and help text, and what the relay does with it. */
import type { Address } from '../../protocol/address.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session-table.ts';

export interface CommandInput {
  readonly args: string;
  /** True when the command had no space after its name (`/join` as opposed to `/join `). */
  readonly bare: boolean;
}

interface CommandInfo {
  /** The command's name, lower case, without the slash. */
  readonly name: string;
  /** As documented and shown by /help, e.g. `/join <nick> [secret] | /join #room`. */
  readonly syntax: string;
  readonly summary: string;
  /** Keep-alives and /leave bypass flood control; everything else spends a line token. */
  readonly throttled: boolean;
}

/** A command only a joined client may send (all but /join). */
export interface SessionCommand extends CommandInfo {
  readonly open: false;
  handle(ctx: RelayContext, session: Session, input: CommandInput): void;
}

/** A command an address that has not joined may send (the seed's `/join`). */
export interface OpenCommand extends CommandInfo {
  readonly open: true;
  handle(ctx: RelayContext, from: Address, session: Session | undefined, input: CommandInput): void;
}

export type Command = SessionCommand | OpenCommand;
