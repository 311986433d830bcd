import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountCommand } from '../../src/cli/account-command.ts';
import { benchCommand } from '../../src/cli/bench-command.ts';
import { BENCH_FLAGS } from '../../src/cli/bench-flags.ts';
import { chaosCommand } from '../../src/cli/chaos-command.ts';
import { CHAOS_FLAGS } from '../../src/cli/chaos-flags.ts';
import { chatCommand } from '../../src/cli/chat-command.ts';
import { type Command, commandGroup, defineCommand } from '../../src/cli/command.ts';
import { parseCommandLine } from '../../src/cli/flag-parser.ts';
import { type FlagTable, switchFlag, valueFlag } from '../../src/cli/flag-table.ts';
import { commandHelp, globalHelp } from '../../src/cli/help.ts';
import { relayCommand } from '../../src/cli/relay-command.ts';
import { RELAY_FLAGS } from '../../src/cli/relay-flags.ts';
import { topCommand } from '../../src/cli/top-command.ts';
import { UsageError, type UsageErrorCode } from '../../src/cli/usage-error.ts';
import { count, duration, hostPort, port } from '../../src/cli/values.ts';

const DEMO_FLAGS = {
  to: valueFlag(hostPort({ hosts: 'ip', zeroPort: false }), 'where to send', { required: true }),
  port: valueFlag(port(), 'port to bind', { default: 9999 }),
  'idle-timeout': valueFlag(duration({ bare: 's', zero: false }), 'drop a silent client', {
    default: 30_000,
  }),
  retries: valueFlag(count(), 'how often to retry', { defaultText: 'forever' }),
  trace: switchFlag('print every datagram'),
} as const;

const DEMO = {
  name: 'demo',
  summary: 'A command to test the table with.',
  description: 'Sends datagrams to --to.',
  positionals: [
    { name: 'nick', help: 'who', required: true },
    { name: 'room', help: 'where' },
  ],
  flags: DEMO_FLAGS,
};

function parse(args: readonly string[]) {
  return parseCommandLine(DEMO, args);
}

function refused(args: readonly string[], code: UsageErrorCode, message: string): void {
  assert.throws(
    () => parse(args),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.equal(error.code, code, error.message);
      assert.equal(error.message, message);
      return true;
    },
    args.join(' '),
  );
}

describe('a command line read against a flag table', () => {
  it('gives each flag its parsed value or its default, and each argument by name', () => {
    const line = parse(['alice', '--to', '127.0.0.1:1', '--idle-timeout', '1.5s', '--trace']);
    assert.deepEqual(line.flags, {
      to: { host: '127.0.0.1', port: 1 },
      port: 9999,
      'idle-timeout': 1500,
      retries: undefined,
      trace: true,
    });
    assert.deepEqual(line.args, { nick: 'alice', room: undefined });
    assert.deepEqual([...line.given].sort(), ['idle-timeout', 'to', 'trace']);
  });

  it('takes --flag=value, a value with a leading dash and a blank, and arguments after --', () => {
    const line = parse(['--to=127.0.0.1:1', '--retries=7', '--', '--nick', '#room']);
    assert.equal(line.flags.retries, 7);
    assert.deepEqual(line.args, { nick: '--nick', room: '#room' });
    const spaced = parseCommandLine(
      { name: 'x', flags: { args: valueFlag({ placeholder: 'A', format: String, parse: (v) => v }, 'a') } },
      ['--args', '--idle-timeout 60'],
    );
    assert.equal(spaced.flags.args, '--idle-timeout 60');
  });

  it('an unknown flag is named, with the nearest known flag when one is close', () => {
    refused(['a', '--xyz'], 'unknown-flag', 'unknown flag --xyz (see udpchat demo --help)');
    refused(
      ['a', '--idle-timout', '5'],
      'unknown-flag',
      'unknown flag --idle-timout, did you mean --idle-timeout? (see udpchat demo --help)',
    );
    refused(
      ['a', '--tarce=1'],
      'unknown-flag',
      'unknown flag --tarce, did you mean --trace? (see udpchat demo --help)',
    );
    refused(
      ['a', '-port', '5'],
      'unknown-flag',
      'unknown flag -port, did you mean --port? (see udpchat demo --help)',
    );
    refused(['a', '-x'], 'unknown-flag', 'unknown flag -x (see udpchat demo --help)');
  });

  it('a flag without its value says so, also when the next word is a flag', () => {
    refused(['a', '--to', '127.0.0.1:1', '--port'], 'missing-value', '--port needs a value');
    refused(['a', '--port', '--trace', '--to', '127.0.0.1:1'], 'missing-value', '--port needs a value');
  });

  it('a bad value names the flag and what it takes; a switch takes no value', () => {
    refused(
      ['a', '--to', '127.0.0.1:1', '--port', 'x'],
      'bad-value',
      '--port must be a port number 0-65535, got "x"',
    );
    refused(['a', '--to', '127.0.0.1:1', '--trace=yes'], 'bad-value', '--trace takes no value, got "yes"');
  });

  it('the first mistake on the line is the one reported', () => {
    refused(['--port', 'x', '--retries', 'y'], 'bad-value', '--port must be a port number 0-65535, got "x"');
    refused(['--retries', 'y', '--port', 'x'], 'bad-value', '--retries must be a whole number >= 0, got "y"');
  });

  it('a missing required flag or argument, and an argument too many, are refused', () => {
    refused(['a'], 'missing-flag', '--to HOST:PORT is required (see udpchat demo --help)');
    refused(['--to', '127.0.0.1:1'], 'missing-argument', 'missing <nick> (see udpchat demo --help)');
    refused(
      ['a', 'b', 'c', '--to', '127.0.0.1:1'],
      'unexpected-argument',
      'unexpected argument "c" (see udpchat demo --help)',
    );
  });
});

describe('help written from the table', () => {
  const help = commandHelp(DEMO);

  it('the usage line shows arguments, required flags, then optional ones in brackets', () => {
    const [first, second] = help.split('\n');
    assert.equal(
      first,
      'Usage: udpchat demo <nick> [room] --to HOST:PORT [--port PORT] [--idle-timeout D] [--retries N]',
    );
    assert.equal(
      second,
      `${' '.repeat('Usage: udpchat demo '.length)}[--trace]`,
      'wrapped under the first argument',
    );
  });

  it('every flag is listed with its placeholder and its default as it would be typed', () => {
    assert.match(help, /^ {2}--to HOST:PORT +where to send \(required\)$/m);
    assert.match(help, /^ {2}--port PORT +port to bind \(default 9999\)$/m);
    assert.match(help, /^ {2}--idle-timeout D +drop a silent client \(default 30s\)$/m);
    assert.match(help, /^ {2}--retries N +how often to retry \(default forever\)$/m);
    assert.match(help, /^ {2}--trace +print every datagram$/m);
    assert.match(help, /^ {2}-h, --help +print this help$/m);
    assert.match(help, /^ {2}nick +who$/m);
  });
});

const COMMANDS: readonly [Command, FlagTable][] = [
  [relayCommand, RELAY_FLAGS],
  [chaosCommand, CHAOS_FLAGS],
  [benchCommand, BENCH_FLAGS],
];

describe('the subcommands’ help', () => {
  it('every flag of relay, chaos and bench is in its help with its default', () => {
    for (const [command, flags] of COMMANDS) {
      const help = command.help().replace(/\s+/g, ' ');
      for (const [name, flag] of Object.entries(flags)) {
        assert.ok(help.includes(`--${name}`), `${command.name} --${name}`);
        if (flag.kind === 'value' && flag.default !== undefined && !Array.isArray(flag.default))
          assert.ok(
            help.includes(`(default ${flag.type.format(flag.default)})`),
            `${command.name} --${name}`,
          );
      }
    }
  });

  it('relay shows its timeouts with units and the core’s defaults', () => {
    const help = relayCommand.help();
    assert.match(help, /--idle-timeout D +drop a client not heard from for this long \(default 30s\)/);
    assert.match(help, /--line-burst N .*\(default 10\)/);
    assert.match(help, /--rcvbuf BYTES .*\(default 4M\)/);
  });

  it('no line of any help is wider than 100 columns, and `udpchat --help` lists every subcommand', () => {
    const all = [relayCommand, chatCommand, chaosCommand, accountCommand, topCommand, benchCommand];
    const overview = globalHelp(all.map((command) => command.overview()));
    for (const text of [overview, ...all.map((command) => command.help())])
      for (const line of text.split('\n')) assert.ok(line.length <= 100, line);
    for (const name of [
      'relay',
      'chat',
      'chaos',
      'account add',
      'account remove',
      'account list',
      'top',
      'bench',
    ])
      assert.match(overview, new RegExp(`^ {2}udpchat ${name} `, 'm'), name);
  });
});

describe('a command’s errors are said about it', () => {
  const demo = defineCommand({ ...DEMO, run: async () => 0 });

  it('a usage error carries the command’s name', async () => {
    await assert.rejects(demo.run(['--xyz']), { name: 'UsageError', code: 'unknown-flag', command: 'demo' });
  });

  it('an action of a group is named with its group, and an unknown action gets a suggestion', async () => {
    const group = commandGroup({
      name: 'things',
      commands: [defineCommand({ ...DEMO, name: 'things add', run: async () => 0 })],
    });
    await assert.rejects(group.run(['add', '--xyz']), { command: 'things add', code: 'unknown-flag' });
    await assert.rejects(group.run(['ad']), {
      command: 'things',
      code: 'unknown-command',
      message: 'unknown command "ad", did you mean "add"? (see udpchat things --help)',
    });
  });
});
