/**
 * `udpchat chat <nick> [host] [port] [--trace]`: the seed's chat.py positional arguments and defaults
 * (nick "anon", host 127.0.0.1, port 9999). A terminal gets the prompt UI, anything else the line filter.
 */
import { ChatClient } from '../client/chat-client.ts';
import { joinNickProblem } from '../client/session.ts';
import type { Address } from '../protocol/address.ts';
import { addressKey } from '../protocol/address.ts';
import { DEFAULT_PORT, MAX_LINE_CHARS } from '../protocol/limits.ts';
import { DEFAULT_NICK } from '../protocol/messages.ts';
import { formatTrace, type TraceDirection } from '../protocol/trace-format.ts';
import { runLineUi } from '../tui/line-ui.ts';
import { runPipeUi } from '../tui/pipe-ui.ts';
import { parseFlags } from './parse-flags.ts';
import { parsePort, UsageError } from './usage-error.ts';

export const CHAT_USAGE = `Usage: udpchat chat <nick> [host] [port] [--trace]

Join the relay at host:port (default 127.0.0.1 ${DEFAULT_PORT}) as <nick> (default "${DEFAULT_NICK}").
Type a line to send it (at most ${MAX_LINE_CHARS} characters); /leave, Ctrl-C or Ctrl-D to leave.
When stdin is not a terminal, each stdin line is sent and each relay line printed as received;
stdin's end sends /leave. Exit status: 0 after leaving, 1 if the relay refused the nick or never
answered, 2 for a usage error.

Options:
  --trace     print every datagram in and out on stderr
  -h, --help  print this help
`;

interface ChatTarget {
  readonly nick: string;
  readonly host: string;
  readonly port: number;
}

export async function runChat(args: string[]): Promise<number> {
  const flags = parseFlags(args, { trace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 3);
  if (flags.values.help === true) {
    process.stdout.write(CHAT_USAGE);
    return 0;
  }
  const target = chatTarget(flags.positionals);
  const client = await ChatClient.connect({
    ...target,
    ...(flags.values.trace === true ? { trace: traceToStderr } : {}),
  });
  const code = await runUi(client);
  // A paused stdin pipe that is still open (a `/leave` line before EOF) would keep the process alive.
  process.stdin.destroy();
  return code;
}

/** A terminal gets the prompt UI; anything else (a pipe, a file) the line filter. */
function runUi(client: ChatClient): Promise<number> {
  const relayLabel = addressKey(client.relay);
  if (process.stdin.isTTY)
    return runLineUi(client, { input: process.stdin, output: process.stdout, relayLabel });
  return runPipeUi(client, {
    input: process.stdin,
    output: process.stdout,
    errors: process.stderr,
    relayLabel,
  });
}

function chatTarget(positionals: readonly string[]): ChatTarget {
  const [nick = DEFAULT_NICK, host = '127.0.0.1', portText = String(DEFAULT_PORT)] = positionals;
  const problem = joinNickProblem(nick);
  if (problem !== null) throw new UsageError(problem);
  if (host.length === 0) throw new UsageError('host must not be empty');
  const port = parsePort(portText, 'port');
  // parsePort accepts 0 for binding; a relay cannot be reached on port 0.
  if (port === 0) throw new UsageError('port must be a port number 1-65535, got "0"');
  return { nick, host, port };
}

function traceToStderr(direction: TraceDirection, peer: Address, bytes: Uint8Array): void {
  process.stderr.write(`${formatTrace(direction, peer, bytes)}\n`);
}
