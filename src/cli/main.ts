/** `udpchat` entry point: dispatches to a subcommand; usage errors exit 2, other failures exit 1. */
import { runAccount } from './account-command.ts';
import { runBench } from './bench-command.ts';
import { runChaos } from './chaos-command.ts';
import { runChat } from './chat-command.ts';
import { HELP_TEXT, VERSION } from './help.ts';
import { runRelay } from './relay-command.ts';
import { runTop } from './top-command.ts';
import { UsageError } from './usage-error.ts';

type Subcommand = (args: string[]) => Promise<number>;

const subcommands: Readonly<Record<string, Subcommand>> = {
  relay: runRelay,
  chat: runChat,
  chaos: runChaos,
  account: runAccount,
  bench: runBench,
  top: runTop,
};

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(HELP_TEXT);
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = subcommands[first];
  if (command === undefined) throw new UsageError(`unknown command "${first}" (try "udpchat --help")`);
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`udpchat: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`udpchat: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
