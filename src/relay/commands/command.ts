/** The shape of one protocol command: its name and help text, and what the relay does with it. */
import type { Address } from '../../protocol/address.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import type { CommandInfo } from './command-info.ts';

export interface CommandInput {
  readonly args: string;
  /** True when the command had no space after its name (`/join` as opposed to `/join `). */
  readonly bare: boolean;
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
