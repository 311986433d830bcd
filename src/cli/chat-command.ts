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
import type { ChatClientApi } from '../client-host/chat-client-api.ts';
import type { Address } from '../protocol/address.ts';
import { addressKey } from '../protocol/address.ts';
import { DEFAULT_PORT, MAX_LINE_CHARS } from '../protocol/limits.ts';
import { DEFAULT_NICK } from '../protocol/messages.ts';
import { formatProtectedTrace, formatTrace, type TraceDirection } from '../protocol/trace-format.ts';
import { parseFingerprint } from '../protocol/v2/fingerprint.ts';
import { INTERACTIVE_IDLE_PROBE_MS } from '../session/liveness.ts';
import type { ProtectedNote } from '../session/session-link.ts';
import { tcpTransport } from '../transport/tcp-link.ts';
import { type ChatConfig, ConfigError, configPath, loadConfig } from '../tui/config.ts';
import { runLineUi } from '../tui/line-ui.ts';
import { offerToSave, promptForNick } from '../tui/nick-prompt.ts';
import { runPipeUi } from '../tui/pipe-ui.ts';
import { runFullScreenUi } from '../tui/screen/app.ts';
import { connectionText, type StateText } from '../tui/screen/status-bar.ts';
import { openDualChat } from './chat-dual.ts';
import { LAN_ONLY_FLAGS, runLanChat, type UiKind } from './chat-lan.ts';
import { defineCommand } from './command.ts';
import { type ParsedCommandLine, rejectGivenFlags } from './flag-parser.ts';
import { switchFlag, valueFlag } from './flag-table.ts';
import { knownRelaysPath } from './known-relays.ts';
import { RELAY_REFUSED_STATUS, RelayPins } from './relay-pins.ts';
import { type GivenRoomKey, ROOM_KEY_FLAGS, roomKeysFromFlags } from './room-key-flags.ts';
import { UsageError } from './usage-error.ts';
import { chatTuningFromFlags, V2_CHAT_FLAGS } from './v2-flags.ts';
import {
  choice,
  count,
  type HostPort,
  hostPortList,
  ipv4Address,
  multicastGroup,
  port,
  text,
} from './values.ts';

/** The relay's port: a client cannot reach port 0. */
const relayPort = port({ zero: false });

const CHAT_FLAGS = {
  nick: valueFlag(text('N'), 'the nick, as a flag (so a host can be given without one)'),
  host: valueFlag(text('H'), "the relay's host, as a flag", { defaultText: '127.0.0.1' }),
  port: valueFlag(relayPort, "the relay's port, as a flag", { defaultText: String(DEFAULT_PORT) }),
  relay: valueFlag(
    hostPortList({ hosts: 'ip-or-name', zeroPort: false }),
    "the relay's address as one flag, or the relays of one cluster in order (v2: when the relay is lost " +
      'the client resumes on the next with the same nick and rooms); with --multicast, one relay: the ' +
      'dual path, lobby lines go through both',
  ),
  config: valueFlag(
    text('FILE', { empty: false }),
    'read this config file instead of the default (terminal only)',
  ),
  plain: switchFlag('a simple prompt UI instead of the full-screen one (terminal only)'),
  protocol: valueFlag(
    choice<ProtocolMode>(['auto', 'v1', 'v2']),
    "auto: protocol v2 (validated, reliable, ordered) when the relay speaks it, else the seed's v1 " +
      'after about a second; v1: v1 only; v2: v2 only',
    { default: 'auto' },
  ),
  tcp: switchFlag(
    "connect over TCP, to the port the relay serves with --tcp-port (the seed's v1 lines; no v2)",
  ),
  trace: switchFlag(
    'print every datagram in and out on stderr (protected ones also as this client sealed or opened them)',
  ),
  'relay-key': valueFlag(
    text('FINGERPRINT', { empty: false }),
    'the relay must prove this identity (SHA256:..., as the relay prints it); pinned in known_relays ' +
      '(with --relay A,B,..., the first relay: the others are checked against their own pins)',
    { defaultText: 'the pin in known_relays; on first contact the key the relay proves is pinned' },
  ),
  ...ROOM_KEY_FLAGS,
  ...V2_CHAT_FLAGS,
  multicast: valueFlag(
    multicastGroup,
    'chat with no relay among everyone in this IPv4 multicast group (e.g. 239.255.0.1:9999), on a LAN',
  ),
  'listen-group': valueFlag(
    multicastGroup,
    'with --multicast: hear this group instead, and still send to --multicast (a peer behind ' +
      '`udpchat chaos --multicast`)',
    { defaultText: 'the --multicast group' },
  ),
  interface: valueFlag(ipv4Address, 'with --multicast: the local address of the interface to use', {
    defaultText: "the kernel's route for the group",
  }),
  ttl: valueFlag(
    count({ max: 255 }),
    'with --multicast: how many routers a datagram may cross (0: this host, 1: the LAN)',
    { default: 1 },
  ),
  'group-key': valueFlag(
    text('PASSPHRASE', { empty: false }),
    'with --multicast: encrypt and authenticate the group with a passphrase everyone in it shares',
  ),
} as const;

type ChatCommandLine = ParsedCommandLine<typeof CHAT_FLAGS>;

export const chatCommand = defineCommand({
  name: 'chat',
  summary:
    'Chat through a relay: a full-screen client in a terminal (--plain for a simple prompt), a plain ' +
    'line filter when stdin is not a terminal; protocol v2 when the relay speaks it.',
  description: `Joins the relay at host:port (default 127.0.0.1 ${DEFAULT_PORT}) as nick. In a terminal this
    opens the full-screen client: a buffer per room and per private conversation (Alt-1..9, Ctrl-N/Ctrl-P),
    Tab completion, input history, a nick-list pane (Alt-N), pasted snippets sent line by line, a status
    bar with the connection state and round-trip time (red within 3 s of a v2 relay dying), and automatic
    reconnection. /help lists its commands and the relay's; /quit or Ctrl-C leaves. Defaults
    come from $XDG_CONFIG_HOME/udpchat/config.toml (nick, [relay] host and port, timestamp, [colours]); a
    first run without a nick asks for one. Lines are at most ${MAX_LINE_CHARS} characters.

    When stdin is not a terminal, each stdin line is sent and each relay line printed as received (nick
    default "${DEFAULT_NICK}", no config file); stdin's end sends /leave.

    --relay HOST:PORT,HOST:PORT,... names the relays of one cluster, in order. Over v2 the client holds a
    resumption ticket; when its relay stops answering it moves to the next one and resumes there with the
    same nick and rooms, says again the lines the lost relay had not acknowledged, and shows the move
    ("relay A lost — resumed on B"). A relay that cannot resume it takes it as a new session.

    End-to-end rooms: members who share a passphrase for a room encrypt their lines in it, so the relay
    routes and keeps them but cannot read them. --room-key '#room=PASSPHRASE' (or, kept out of the process
    list, --room-key-file) gives the key before connecting; in every UI, /key #room PASSPHRASE gives it and
    /key #room forgets it. A /key line is never sent, shown or kept in the input history.

    --multicast GROUP:PORT chats with no relay at all: every client joins the multicast group and sends to
    it (a LAN; not the Internet). Lines carry a per-sender sequence number: duplicates are dropped, order
    restored within a small window, losses reported ("2 lines from bob lost"); presence comes from
    periodic announcements (/who, leave and time-out notices). --group-key encrypts the group's traffic.

    --multicast with a relay (--relay H:P, or a host and port) takes both paths at once: each lobby line
    goes to the relay and to the group, and is shown once, whichever copy comes first. The relay stays the
    authority for rooms, history and presence; while it is lost the lobby goes on over the LAN (the status
    bar says "relay lost — LAN only"), and when it is back the lines said meanwhile are sent to it.`,
  positionals: [
    { name: 'nick', help: 'the nick to join as (a flag --nick wins over it)' },
    { name: 'host', help: "the relay's host or IP address" },
    { name: 'port', help: "the relay's UDP port (its TCP port with --tcp)" },
  ],
  flags: CHAT_FLAGS,
  notes: `Exit status: 0 after leaving, 1 if the relay refused the nick or never answered, 2 for a usage
    or config error, 3 when the client refused the relay: its identity changed from the pinned one
    (known_relays, or --relay-key), it failed identity verification, or a pinned relay speaks only wire
    version 2.

    Over protocol v2 every datagram after the handshake is encrypted and authenticated, and the relay
    proves its identity key. The client pins the relay's fingerprint on first contact in
    $XDG_CONFIG_HOME/udpchat/known_relays (one "host:port SHA256:..." line per relay, mode 0600) and says
    so; later it refuses loudly a relay that proves another key, with the command that accepts it. With
    --relay A,B,... each relay is pinned under its own address and checked against its own pin when the
    client moves there; one that proves another key is reported the same way, gets no line, and is
    skipped for the next relay of the list.

    D is a duration: 250ms, 1.5s, 2m, or a plain number of seconds. The --v2-* flags tune protocol v2 and
    change nothing over v1 (docs/PROTOCOL-v2.md has what each timer and window does).`,
  run: runChat,
});

interface ChatTarget {
  readonly nick: string;
  readonly host: string;
  readonly port: number;
}

/** What the command line says of the target; each part may still come from the config file or a question. */
interface GivenTarget {
  readonly nick: string | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  /** `--relay A,B,...`: the relays after the first, moved to in order when the first is lost. */
  readonly failover: readonly HostPort[];
}

async function runChat(commandLine: ChatCommandLine): Promise<number> {
  const { flags } = commandLine;
  const given = givenTarget(commandLine);
  if (flags.multicast !== undefined) {
    if (given.failover.length > 0)
      throw new UsageError('conflict', '--multicast goes with one relay, not a list of them');
    if (given.host !== undefined || given.port !== undefined)
      return runDual(commandLine, given, flags.multicast);
    rejectFlags(
      commandLine,
      ['tcp', 'protocol', 'room-key', 'room-key-file'],
      'goes with a relay (--relay H:P for the dual path)',
    );
    return runLan(commandLine, flags.multicast);
  }
  rejectFlags(commandLine, LAN_ONLY_FLAGS, 'needs --multicast');
  const ui = uiKind(flags.plain);
  const file = flags.config ?? configPath();
  const config = ui === 'pipe' ? null : await readConfig(file, flags.config !== undefined);
  // Checked before any question or socket: a bad --v2-* value is a usage error like any other.
  const v2 = chatTuningFromFlags(flags, ui === 'full-screen' ? INTERACTIVE_IDLE_PROBE_MS : null);
  const relayKey = relayKeyFlag(flags['relay-key']);
  const target = await chatTarget(given, config, ui, file);
  if (target === null) return 1;
  const pins = new RelayPins(knownRelaysPath(), target.host, target.port, relayKey);
  // Derived before connecting: from its first line, the client seals every line said in a keyed room.
  const roomKeys = await roomKeysFromFlags(flags);
  const client = await ChatClient.connect({
    ...target,
    ...(given.failover.length > 0 ? { failover: given.failover } : {}),
    // Each relay of the list is checked against its own pin (`--relay-key` is the first relay's).
    pinFor: (relay) => pins.pinFor(relay),
    protocol: flags.protocol,
    ...(flags.tcp ? { transport: tcpTransport } : {}),
    ...(flags.trace ? { trace: traceToStderr } : {}),
    // The full-screen client probes a quiet v2 session (so the status bar turns red within seconds of the
    // relay dying) and never gives up on the relay; the others keep the seed's behaviour.
    v2: {
      ...v2,
      ...(flags.trace ? { observer: protectedTraceToStderr } : {}),
    },
    ...(ui === 'full-screen' ? ({ session: { reconnect: {} } } satisfies Partial<ChatClientOptions>) : {}),
  });
  pins.watch(client, ui !== 'full-screen');
  holdRoomKeys(client, roomKeys);
  const code = await runUi(client, ui, config, flags.tcp ? 'tcp' : 'udp');
  pins.reportRefusal();
  // A paused stdin pipe that is still open (a `/leave` line before EOF) would keep the process alive.
  process.stdin.destroy();
  return pins.refused ? RELAY_REFUSED_STATUS : code;
}

/** `--relay-key`: a fingerprint exactly as the relay prints it, or a usage error. */
function relayKeyFlag(value: string | undefined): string | undefined {
  if (value === undefined || parseFingerprint(value) !== null) return value;
  throw new UsageError(
    'bad-value',
    `--relay-key must be a fingerprint as the relay prints it (SHA256: and 43 base64 characters), got "${value}"`,
  );
}

/** The dual path: the relay's target as for any chat, the group as for the LAN; one UI over both. */
async function runDual(commandLine: ChatCommandLine, given: GivenTarget, group: Address): Promise<number> {
  const { flags } = commandLine;
  const ui = uiKind(flags.plain);
  const file = flags.config ?? configPath();
  const config = ui === 'pipe' ? null : await readConfig(file, flags.config !== undefined);
  // Every UI probes a quiet v2 session here: the LAN has to know when the relay is gone.
  const v2 = chatTuningFromFlags(flags, INTERACTIVE_IDLE_PROBE_MS);
  const target = await chatTarget(given, config, ui, file);
  if (target === null) return 1;
  const roomKeys = await roomKeysFromFlags(flags);
  const trace = flags.trace ? { trace: traceToStderr } : {};
  const dual = await openDualChat({
    nick: target.nick,
    relay: {
      host: target.host,
      port: target.port,
      protocol: flags.protocol,
      ...(flags.tcp ? { transport: tcpTransport } : {}),
      ...trace,
      v2,
    },
    group,
    listenGroup: flags['listen-group'] ?? null,
    interfaceAddress: flags.interface ?? null,
    ttl: flags.ttl,
    passphrase: flags['group-key'] ?? null,
    ...trace,
  });
  holdRoomKeys(dual, roomKeys);
  const code = await runUi(dual, ui, config, flags.tcp ? 'tcp' : 'udp', {
    stateText: () => dual.stateText() ?? withLan(connectionText(dual.connection()), dual.lanPeers()),
  });
  process.stdin.destroy();
  return code;
}

/** Serverless: the nick from the arguments, the config file or a question; the group from the flags. */
async function runLan(commandLine: ChatCommandLine, group: Address): Promise<number> {
  const { flags } = commandLine;
  const ui = uiKind(flags.plain);
  const file = flags.config ?? configPath();
  const config = ui === 'pipe' ? null : await readConfig(file, flags.config !== undefined);
  const nick =
    flags.nick ??
    commandLine.args.nick ??
    config?.nick ??
    (ui === 'pipe' ? DEFAULT_NICK : await askForNick(file));
  if (nick === null) return 1;
  const code = await runLanChat({
    nick,
    group,
    listenGroup: flags['listen-group'] ?? null,
    interfaceAddress: flags.interface ?? null,
    ttl: flags.ttl,
    passphrase: flags['group-key'] ?? null,
    ui,
    config,
    ...(flags.trace ? { trace: traceToStderr } : {}),
  });
  process.stdin.destroy();
  return code;
}

/** Held before any line is read: a keyed room's first line is sealed like the rest. */
function holdRoomKeys(client: ChatClientApi, keys: readonly GivenRoomKey[]): void {
  for (const { room, key } of keys) client.holdRoomKey(room, key);
}

function rejectFlags(commandLine: ChatCommandLine, names: readonly string[], why: string): void {
  rejectGivenFlags(commandLine.given, names, why);
}

/**
 * `--nick`, `--relay` (or `--host` and `--port`) or the seed's positional arguments (a flag wins over its
 * position).
 */
function givenTarget({ flags, args }: ChatCommandLine): GivenTarget {
  if (flags.relay !== undefined && (flags.host !== undefined || flags.port !== undefined))
    throw new UsageError('conflict', '--relay HOST:PORT does not go with --host or --port');
  const [first, ...failover] = flags.relay ?? [];
  if (failover.length > 0 && (flags.tcp || flags.protocol === 'v1'))
    throw new UsageError('conflict', '--relay with more than one relay needs protocol v2 (not --tcp or v1)');
  return {
    nick: flags.nick ?? args.nick,
    failover,
    host: first?.host ?? flags.host ?? args.host,
    port:
      first?.port ?? flags.port ?? (args.port === undefined ? undefined : relayPort.parse(args.port, 'port')),
  };
}

function uiKind(plain: boolean): UiKind {
  if (!process.stdin.isTTY) return 'pipe';
  return process.stdout.isTTY && !plain ? 'full-screen' : 'line';
}

async function readConfig(path: string, explicit: boolean): Promise<ChatConfig> {
  try {
    return await loadConfig(path, explicit, noColourRequested());
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError('bad-value', error.message);
    throw error;
  }
}

/** no-color.org: any non-empty NO_COLOR turns colour off. */
function noColourRequested(): boolean {
  const value = process.env.NO_COLOR;
  return value !== undefined && value !== '';
}

/** What a dual-path client adds to the full-screen UI: its own status (the relay's, and the LAN's). */
interface UiExtras {
  readonly stateText: () => StateText | null;
}

/** `connected 0.4 ms, LAN 2 peers`. */
function withLan(relay: StateText, peers: number): StateText {
  return { ...relay, text: `${relay.text}, LAN ${peers === 1 ? '1 peer' : `${peers} peers`}` };
}

function runUi(
  client: ChatClientApi,
  ui: UiKind,
  config: ChatConfig | null,
  transport: 'udp' | 'tcp',
  extras?: UiExtras,
): Promise<number> {
  // Over TCP the label says so (`tcp 127.0.0.1:9998`); over UDP it is the seed's bare address.
  const relayLabel = transport === 'tcp' ? `tcp ${addressKey(client.relay)}` : addressKey(client.relay);
  if (ui === 'full-screen' && config !== null) {
    return runFullScreenUi(client, {
      input: process.stdin,
      output: process.stdout,
      errors: process.stderr,
      relayLabel,
      theme: config.theme,
      timestampFormat: config.timestamp,
      ...(extras ? { stateText: extras.stateText } : {}),
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
  given: GivenTarget,
  config: ChatConfig | null,
  ui: UiKind,
  configFile: string,
): Promise<ChatTarget | null> {
  const host = given.host ?? config?.host ?? '127.0.0.1';
  if (host.length === 0) throw new UsageError('bad-value', 'host must not be empty');
  const port = given.port ?? config?.port ?? DEFAULT_PORT;
  const nick = given.nick ?? config?.nick ?? (ui === 'pipe' ? DEFAULT_NICK : await askForNick(configFile));
  if (nick === null) return null;
  const problem = joinNickProblem(nick);
  if (problem !== null) throw new UsageError('bad-value', problem);
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

function protectedTraceToStderr(note: ProtectedNote): void {
  process.stderr.write(`${formatProtectedTrace(note.direction, note)}\n`);
}
