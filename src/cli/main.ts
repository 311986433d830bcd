/**
 * `udpchat` entry point: dispatches to a subcommand. A usage error prints one line naming the command
 * (`udpchat relay: ...`) and exits 2; any other failure prints `udpchat: ...` and exits 1.
 */
import { type Command, unknownCommand } from './command.ts';
import { globalHelp, VERSION } from './help.ts';
import { UsageError } from './usage-error.ts';

/**
 * Each subcommand's module is loaded only when it runs: a relay does not carry the terminal UI, the bench
 * and their dependencies (about 11 MB of resident memory). Only `udpchat --help` loads them all.
 */
const subcommands: Readonly<Record<string, () => Promise<Command>>> = {
  relay: async () => (await import('./relay-command.ts')).relayCommand,
  chat: async () => (await import('./chat-command.ts')).chatCommand,
  chaos: async () => (await import('./chaos-command.ts')).chaosCommand,
  account: async () => (await import('./account-command.ts')).accountCommand,
  top: async () => (await import('./top-command.ts')).topCommand,
  bench: async () => (await import('./bench-command.ts')).benchCommand,
  compare: async () => (await import('./compare-command.ts')).compareCommand,
};

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const commands = await Promise.all(Object.values(subcommands).map((load) => load()));
    process.stdout.write(globalHelp(commands.map((command) => command.overview())));
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const load = Object.hasOwn(subcommands, first) ? subcommands[first] : undefined;
  if (load === undefined) throw unknownCommand(first, Object.keys(subcommands), 'udpchat');
  return (await load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      const who = error.command === undefined ? 'udpchat' : `udpchat ${error.command}`;
      process.stderr.write(`${who}: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`udpchat: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
