/**
 * `known_relays` (docs/PROTOCOL-v2.md, 5.3): the relay fingerprints a client has pinned, like SSH's
 * known_hosts, in its configuration directory beside config.toml. One line per relay, `host:port
 * fingerprint` (`[v6 address]:port` for IPv6, the host as the user gave it: a name is not resolved first);
 * `#` comments and blank lines are ignored, and so is a line that does not parse (it is kept as written).
 * Written with mode 0600, by rename of a complete temporary file, so a crash never leaves half a file.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseFingerprint } from '../protocol/v2/fingerprint.ts';
import { configPath } from '../tui/config.ts';

export const KNOWN_RELAYS_FILE = 'known_relays';

/** `$XDG_CONFIG_HOME/udpchat/known_relays` (`~/.config/udpchat/known_relays` by default). */
export function knownRelaysPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(configPath(env)), KNOWN_RELAYS_FILE);
}

/** How a relay is named in the file: `host:port`, with an IPv6 address in brackets. */
export function relayKey(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The pinned fingerprint of each relay, from the file's text; the last line for a relay wins. */
export function parseKnownRelays(text: string): Map<string, string> {
  const pins = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [relay, print, ...rest] = line.split(/\s+/);
    if (relay === undefined || print === undefined || rest.length > 0) continue;
    if (parseFingerprint(print) !== null) pins.set(relay, print);
  }
  return pins;
}

/** The file's text with `relay` pinned to `print`: its old line replaced, every other line kept. */
export function withPin(text: string, relay: string, print: string): string {
  const kept = text
    .split('\n')
    .filter((raw) => raw.trim().split(/\s+/)[0] !== relay)
    .join('\n')
    .replace(/\n*$/, '');
  return `${kept === '' ? '' : `${kept}\n`}${relay} ${print}\n`;
}

/** The pins in `path`; none when it does not exist yet. */
export function readKnownRelays(path: string): Map<string, string> {
  try {
    return parseKnownRelays(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
}

/** Pins `relay` to `print` in `path` (created with its directory when absent). */
export function pinRelay(path: string, relay: string, print: string): void {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, withPin(text, relay, print), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
