/**
 * A subcommand as one declaration: its name, help, flag table and run. defineCommand adds what every
 * subcommand shares: `-h`/`--help` printed from the table, the command line parsed and checked against
 * it, and every usage error said about the command (`udpchat relay: ...`, exit 2, see main.ts).
 */
import { escapeForDisplay } from '../protocol/trace-format.ts';
import { closest } from './did-you-mean.ts';
import { asksForHelp, type ParsedCommandLine, parseCommandLine } from './flag-parser.ts';
import type { FlagTable } from './flag-table.ts';
import { commandHelp, type HelpContent, overview } from './help.ts';
import { UsageError } from './usage-error.ts';

export interface CommandDefinition<F extends FlagTable> extends HelpContent<F> {
  run(input: ParsedCommandLine<F>): Promise<number>;
}

/** A command as main.ts and `udpchat --help` see it, whatever its table. */
export interface Command {
  readonly name: string;
  /** Its entry in `udpchat --help`. */
  overview(): string;
  /** Its own `--help`. */
  help(): string;
  run(args: readonly string[]): Promise<number>;
}

export function defineCommand<F extends FlagTable>(definition: CommandDefinition<F>): Command {
  return {
    name: definition.name,
    overview: () => overview(definition),
    help: () => commandHelp(definition),
    async run(args) {
      if (asksForHelp(args)) {
        process.stdout.write(commandHelp(definition));
        return 0;
      }
      try {
        return await definition.run(parseCommandLine(definition, args));
      } catch (error) {
        throw error instanceof UsageError ? error.about(definition.name) : error;
      }
    },
  };
}

export interface GroupDefinition {
  /** `account`; its commands are named `account add`, `account remove`, ... */
  readonly name: string;
  readonly commands: readonly Command[];
}

/**
 * A command with actions (`udpchat account add|remove|list`): the first argument picks the action. Alone,
 * it prints the actions' usage and exits 2, as `udpchat` alone does.
 */
export function commandGroup(group: GroupDefinition): Command {
  const help = (): string =>
    `Usage:\n${group.commands.map((command) => command.overview()).join('\n')}\n\n` +
    `"udpchat ${group.name} <action> --help" describes an action's flags.\n`;
  return {
    name: group.name,
    overview: () => group.commands.map((command) => command.overview()).join('\n'),
    help,
    async run(args) {
      const [action, ...rest] = args;
      if (action === undefined || action === '--help' || action === '-h') {
        process.stdout.write(help());
        return action === undefined ? 2 : 0;
      }
      const command = group.commands.find((candidate) => candidate.name === `${group.name} ${action}`);
      if (command === undefined)
        throw unknownCommand(action, actionNames(group), `udpchat ${group.name}`).about(group.name);
      return command.run(rest);
    },
  };
}

function actionNames(group: GroupDefinition): string[] {
  return group.commands.map((command) => command.name.slice(group.name.length + 1));
}

/** `unknown command "rely", did you mean "relay"? (see udpchat --help)` */
export function unknownCommand(typed: string, known: readonly string[], helpOf: string): UsageError {
  const near = closest(typed, known);
  const hint = near === undefined ? '' : `, did you mean "${near}"?`;
  return new UsageError(
    'unknown-command',
    `unknown command "${escapeForDisplay(typed)}"${hint} (see ${helpOf} --help)`,
  );
}
