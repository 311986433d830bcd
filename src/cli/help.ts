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
                [--accounts FILE] [--registered-only]
      Run the relay. Defaults: --host 0.0.0.0 --port 9999 --idle-timeout 30 --sweep-interval 5
      (seconds, fractions allowed). --trace prints every datagram in and out on stderr (secrets redacted).
      --keepalive server: the relay pings clients silent for --keepalive-interval (10 s), again every
      --keepalive-timeout (2 s), and drops them after --keepalive-misses (3) unanswered pings.
      Flood control: --line-burst 10 --line-rate 4 (lines per second) per client; per source host
      --max-per-address 64 clients, --join-burst 10 --join-rate 1, --nick-burst 5 --nick-rate 0.5.
      0 turns any of these limits off.
      --accounts FILE: registered nicknames (see "udpchat account"); such a nick joins only with
      "/join <nick> <secret>". --registered-only refuses nicknames that have no account.
  udpchat chat <nick> [host] [port] [--trace]
      Chat through a relay (defaults 127.0.0.1 9999). Type a line to send it; /leave, Ctrl-C or
      Ctrl-D to leave. When stdin is not a terminal it is a plain line filter.
  udpchat chaos --listen PORT --to HOST:PORT [--loss P] [--dup P] [--reorder P] [--delay D] [--jitter D] [--seed N]
      Forward UDP between clients and a relay with simulated loss, duplication, reordering and delay
      (see "udpchat chaos --help").
  udpchat account add <nick> --accounts FILE [--server-operator] [--force]
      Register <nick>: asks for its secret twice with no echo (one line of stdin when stdin is not
      a terminal) and stores only its scrypt hash; --force replaces an existing account.
  udpchat account remove <nick> --accounts FILE
  udpchat account list --accounts FILE
      Remove an account; list nicks and operator flags. A running relay reads the file at start.
  udpchat --help | --version
`;
