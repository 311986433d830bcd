/** The dispatch table: command name -> handler (one file per command, as in Aedes' lib/handlers). */
import type { Command } from './command.ts';
import { commandList } from './list.ts';

export type { Command, OpenCommand, SessionCommand } from './command.ts';

export { commandList } from './list.ts';

export const commandTable: ReadonlyMap<string, Command> = new Map(commandList.map((c) => [c.name, c]));
