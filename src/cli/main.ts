/** `udpchat` entry point: dispatches to a subcommand; usage errors exit 2, other failures exit 1. */
import { HELP_TEXT, VERSION } from './help.ts';
import { UsageError } from './usage-error.ts';

type Subcommand = (args: string[]) => Promise<number>;

/**
 * Each subcommand's module is loaded only when it runs: a relay does not carry the terminal UI, the bench
 * and their dependencies (about 11 MB of resident memory).
 */
const subcommands: Readonly<Record<string, () => Promise<Subcommand>>> = {
  relay: async () => (await import('./relay-command.ts')).runRelay,
  chat: async () => (await import('./chat-command.ts')).runChat,
  chaos: async () => (await import('./chaos-command.ts')).runChaos,
  account: async () => (await import('./account-command.ts')).runAccount,
  bench: async () => (await import('./bench-command.ts')).runBench,
  top: async () => (await import('./top-command.ts')).runTop,
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
  const load = Object.hasOwn(subcommands, first) ? subcommands[first] : undefined;
  if (load === undefined) throw new UsageError(`unknown command "${first}" (try "udpchat --help")`);
  return (await load())(rest);
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
