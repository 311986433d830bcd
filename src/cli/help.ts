/** The CLI's help text and version, in one place. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

export const VERSION: string = pkg.version;

export const HELP_TEXT = `udpchat ${VERSION}: a chat relay over UDP

Usage:
  udpchat relay [--host H] [--port P] [--idle-timeout S] [--sweep-interval S] [--trace]
      Run the relay. Defaults: --host 0.0.0.0 --port 9999 --idle-timeout 30 --sweep-interval 5
      (seconds, fractions allowed). --trace prints every datagram in and out on stderr.
  udpchat chat <nick> [host] [port] [--trace]
      Chat through a relay (defaults 127.0.0.1 9999). Type a line to send it; /leave, Ctrl-C or
      Ctrl-D to leave. When stdin is not a terminal it is a plain line filter.
  udpchat chaos --listen PORT --to HOST:PORT [--loss P] [--dup P] [--reorder P] [--delay D] [--jitter D] [--seed N]
      Forward UDP between clients and a relay with simulated loss, duplication, reordering and delay
      (see "udpchat chaos --help").
  udpchat --help | --version
`;
