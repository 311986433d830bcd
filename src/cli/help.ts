/** The CLI's help text and version, in one place. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

export const VERSION: string = pkg.version;

export const HELP_TEXT = `udpchat ${VERSION}: a chat relay over UDP

Usage:
  udpchat relay [--host H] [--port P] [--idle-timeout S] [--sweep-interval S] [--trace]
                [--keepalive client|server] [--keepalive-interval S] [--keepalive-timeout S]
                [--keepalive-misses N] [--line-burst N] [--line-rate N] [--max-per-address N]
                [--join-burst N] [--join-rate N] [--nick-burst N] [--nick-rate N]
                [--accounts FILE] [--registered-only] [--strict] [--lean-memory]
                [--metrics HOST:PORT] [--log-level L] [--log-format pretty|json] [--rcvbuf BYTES] [--sndbuf BYTES]
                [--send-threads N]
      Run the relay (protocol v1, the seed's, and v2: validated, reliable, ordered). Defaults: --host 0.0.0.0 --port 9999 --idle-timeout 30 --sweep-interval 5
      (seconds, fractions allowed). --trace prints every datagram in and out on stderr (secrets redacted).
      --keepalive server: the relay pings clients silent for --keepalive-interval (10 s), again every
      --keepalive-timeout (2 s), and drops them after --keepalive-misses (3) unanswered pings.
      Flood control: --line-burst 10 --line-rate 4 (lines per second) per client; per source host
      --max-per-address 64 clients, --join-burst 10 --join-rate 1, --nick-burst 5 --nick-rate 0.5.
      0 turns any of these limits off.
      --accounts FILE: registered nicknames (see "udpchat account"); such a nick joins only with
      "/join <nick> <secret>". --registered-only refuses nicknames that have no account.
      --strict: only v2 clients (address-validated); v1 datagrams are dropped unanswered.
      --lean-memory: V8's optimize-for-size mode, for relays with very many idle clients (less memory,
      more CPU per delivered line; see docs/BENCHMARKS.md).
      --metrics HOST:PORT serves Prometheus text at /metrics, and /healthz, on that address only (off by
      default). --log-format pretty|json (pretty on a terminal, json otherwise); --log-level fatal|error|
      warn|info|debug|trace|silent (info). --rcvbuf/--sndbuf socket buffers in bytes (4M each; 0 = kernel default).
      --send-threads N: hand every send to N (1-16) native sender threads, so fan-out uses more cores
      than the event loop's (needs the native addon; 0, the default, sends on the event loop).
  udpchat chat <nick> [host] [port] [--protocol auto|v1|v2] [--plain] [--config FILE] [--trace]
      Chat through a relay (defaults 127.0.0.1 9999): a full-screen client in a terminal (--plain for a
      simple prompt), a plain line filter when stdin is not a terminal. v2 when the relay speaks it.
  udpchat chaos --listen PORT --to HOST:PORT [--loss P] [--dup P] [--reorder P] [--delay D] [--jitter D] [--seed N]
      Forward UDP between clients and a relay with simulated loss, duplication, reordering and delay
      (see "udpchat chaos --help").
  udpchat account add <nick> --accounts FILE [--server-operator] [--force]
      Register <nick>: asks for its secret twice with no echo (one line of stdin when stdin is not
      a terminal) and stores only its scrypt hash; --force replaces an existing account.
  udpchat account remove <nick> --accounts FILE
  udpchat account list --accounts FILE
      Remove an account; list nicks and operator flags. A running relay reads the file at start.
  udpchat top --metrics HOST:PORT [--interval S] [--once]
      A live view of a relay started with --metrics: clients, rooms, rates with sparklines, refusals,
      top talkers; q or Ctrl-C quits. Plain snapshots when stdout is not a terminal; --once prints one.
  udpchat bench [--relay HOST:PORT | --spawn] --clients N --senders S --rate R --duration D [--json]
      Load a relay and report deliveries, loss, latency and CPU (see "udpchat bench --help").
  udpchat --help | --version
`;
