/** The dispatch table: the commands the relay recognises, in the order they are tried. */
import type { LineCommand } from './command.ts';
import { joinCommand } from './join.ts';
import { leaveCommand } from './leave.ts';
import { pingCommand } from './ping.ts';

export type { LineCommand } from './command.ts';
export { handleSay } from './say.ts';

export const commands: readonly LineCommand[] = [joinCommand, pingCommand, leaveCommand];

/** The command a line is, with its arguments; null means a plain chat line (as in the seed). */
export function findCommand(line: string): { command: LineCommand; args: string } | null {
  for (const command of commands) {
    const args = command.match(line);
    if (args !== null) return { command, args };
  }
  return null;
}
