/**
 * `udpchat chat [nick] [host] [port] [--config FILE] [--plain] [--trace]`: the seed's chat.py positional
 * arguments. A terminal gets the full-screen UI (or the prompt UI with --plain, or when stdout is not a
 * terminal), with defaults from the config file and a nick prompt on a first run; anything else (a pipe, a
 * file) gets the line filter, exactly as before: seed defaults (anon 127.0.0.1 9999), no config file.
 */
import { existsSync } from 'node:fs';
import type { ProtocolMode } from '../client/line-carrier.ts';
import { joinNickProblem } from '../client/session.ts';
import { ChatClient, type ChatClientOptions } from '../client-host/chat-client.ts';
import type { Address } from '../protocol/address.ts';
import { addressKey } from '../protocol/address.ts';
import { DEFAULT_PORT, MAX_LINE_CHARS } from '../protocol/limits.ts';
import { DEFAULT_NICK } from '../protocol/messages.ts';
import { formatTrace, type TraceDirection } from '../protocol/trace-format.ts';
import { type ChatConfig, ConfigError, configPath, loadConfig } from '../tui/config.ts';
import { runLineUi } from '../tui/line-ui.ts';
import { offerToSave, promptForNick } from '../tui/nick-prompt.ts';
import { runPipeUi } from '../tui/pipe-ui.ts';
import { runFullScreenUi } from '../tui/screen/app.ts';
import { type ParsedFlags, parseFlags } from './parse-flags.ts';
import { parsePort, UsageError } from './usage-error.ts';

export const CHAT_USAGE = `Usage: udpchat chat <nick> [host] [port] [--trace]

Join the relay at host:port (default 127.0.0.1 ${DEFAULT_PORT}) as nick. In a terminal this opens the
full-screen client: a buffer per room and per private conversation (Alt-1..9, Ctrl-N/Ctrl-P), Tab
completion, input history, a status bar with the connection state and round-trip time, and automatic
reconnection. /help lists its commands and the relay's; /quit or Ctrl-C leaves.
Defaults come from $XDG_CONFIG_HOME/udpchat/config.toml (nick, [relay] host and port, timestamp,
[colours]); a first run without a nick asks for one. Lines are at most ${MAX_LINE_CHARS} characters.

When stdin is not a terminal, each stdin line is sent and each relay line printed as received
(nick default "${DEFAULT_NICK}", no config file); stdin's end sends /leave. Exit status: 0 after
leaving, 1 if the relay refused the nick or never answered, 2 for a usage or config error.

Options:
  --nick N, --host H, --port P  the positional arguments as flags (to give a host alone)
  --config FILE                 read this config file instead of the default (terminal only)
  --plain                       a simple prompt UI instead of the full-screen one (terminal only)
  --protocol auto|v1|v2         auto (default): protocol v2 (validated, reliable, ordered) when the relay
                                speaks it, else the seed's v1 after about a second; v1: v1 only; v2: v2 only
  --trace                       print every datagram in and out on stderr
  -h, --help                    print this help
`;

interface ChatTarget {
  readonly nick: string;
  readonly host: string;
  readonly port: number;
}

type UiKind = 'full-screen' | 'line' | 'pipe';

export async function runChat(args: string[]): Promise<number> {
  const flags = parseFlags(
    args,
    {
      trace: { type: 'boolean' },
      protocol: { type: 'string' },
      plain: { type: 'boolean' },
      config: { type: 'string' },
      nick: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    3,
  );
  if (flags.values.help === true) {
    process.stdout.write(CHAT_USAGE);
    return 0;
  }
  const protocol = protocolMode(flags.values.protocol);
  const ui = uiKind(flags);
  const given = flags.values.config;
  const file = typeof given === 'string' ? given : configPath();
  const config = ui === 'pipe' ? null : await readConfig(file, typeof given === 'string');
  const target = await chatTarget(given3(flags), config, ui, file);
  if (target === null) return 1;
  const client = await ChatClient.connect({
    ...target,
    protocol,
    ...(flags.values.trace === true ? { trace: traceToStderr } : {}),
    // The full-screen client never gives up on the relay; the others keep the seed's behaviour.
    ...(ui === 'full-screen' ? ({ session: { reconnect: {} } } satisfies Partial<ChatClientOptions>) : {}),
  });
  const code = await runUi(client, ui, config);
  // A paused stdin pipe that is still open (a `/leave` line before EOF) would keep the process alive.
  process.stdin.destroy();
  return code;
}

/** `--nick`, `--host` and `--port` or the seed's positional arguments (a flag wins over its position). */
function given3(flags: ParsedFlags): (string | undefined)[] {
  const [nick, host, port] = flags.positionals;
  const flag = (name: string): string | undefined => {
    const value = flags.values[name];
    return typeof value === 'string' ? value : undefined;
  };
  return [flag('nick') ?? nick, flag('host') ?? host, flag('port') ?? port];
}

function protocolMode(value: string | boolean | undefined): ProtocolMode {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'v1' || value === 'v2') return value;
  throw new UsageError(`--protocol must be auto, v1 or v2, got "${String(value)}"`);
}

function uiKind(flags: ParsedFlags): UiKind {
  if (!process.stdin.isTTY) return 'pipe';
  return process.stdout.isTTY && flags.values.plain !== true ? 'full-screen' : 'line';
}

async function readConfig(path: string, explicit: boolean): Promise<ChatConfig> {
  try {
    return await loadConfig(path, explicit, noColourRequested());
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** no-color.org: any non-empty NO_COLOR turns colour off. */
function noColourRequested(): boolean {
  const value = process.env.NO_COLOR;
  return value !== undefined && value !== '';
}

function runUi(client: ChatClient, ui: UiKind, config: ChatConfig | null): Promise<number> {
  const relayLabel = addressKey(client.relay);
  if (ui === 'full-screen' && config !== null) {
    return runFullScreenUi(client, {
      input: process.stdin,
      output: process.stdout,
      errors: process.stderr,
      relayLabel,
      theme: config.theme,
      timestampFormat: config.timestamp,
    });
  }
  if (ui === 'line') return runLineUi(client, { input: process.stdin, output: process.stdout, relayLabel });
  return runPipeUi(client, {
    input: process.stdin,
    output: process.stdout,
    errors: process.stderr,
    relayLabel,
  });
}

/** Arguments first, then the config file, then (terminal only) a question, then the seed's defaults. */
async function chatTarget(
  positionals: readonly (string | undefined)[],
  config: ChatConfig | null,
  ui: UiKind,
  configFile: string,
): Promise<ChatTarget | null> {
  const [nickArg, hostArg, portArg] = positionals;
  const host = hostArg ?? config?.host ?? '127.0.0.1';
  if (host.length === 0) throw new UsageError('host must not be empty');
  const port = portArg === undefined ? (config?.port ?? DEFAULT_PORT) : parsePort(portArg, 'port');
  // parsePort accepts 0 for binding; a relay cannot be reached on port 0.
  if (port === 0) throw new UsageError('port must be a port number 1-65535, got "0"');
  const nick = nickArg ?? config?.nick ?? (ui === 'pipe' ? DEFAULT_NICK : await askForNick(configFile));
  if (nick === null) return null;
  const problem = joinNickProblem(nick);
  if (problem !== null) throw new UsageError(problem);
  return { nick, host, port };
}

async function askForNick(path: string): Promise<string | null> {
  const streams = { input: process.stdin, output: process.stdout };
  const nick = await promptForNick(streams);
  if (nick === null) return null;
  await offerToSave(streams, path, nick, existsSync(path));
  return nick;
}

function traceToStderr(direction: TraceDirection, peer: Address, bytes: Uint8Array): void {
  process.stderr.write(`${formatTrace(direction, peer, bytes)}\n`);
}
