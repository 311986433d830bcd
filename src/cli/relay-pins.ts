/**
 * The chat command's side of relay pinning (docs/PROTOCOL-v2.md, 5.3): which fingerprint the client must
 * see (`--relay-key`, else the pin in known_relays), pinning on first contact (said on stderr), and the
 * loud report, with the command that accepts the new key, when the relay proves another one.
 */
import type { ChatClient } from '../client-host/chat-client.ts';
import type { ChatClientError } from '../client-host/chat-client-options.ts';
import { pinRelay, readKnownRelays, relayKey } from './known-relays.ts';

/** The exit status of a client that refused its relay (changed or unverified identity, wire 2 only). */
export const RELAY_REFUSED_STATUS = 3;

const REFUSALS: ReadonlySet<ChatClientError['code']> = new Set([
  'identity-changed',
  'identity-unverified',
  'wire2-only',
]);

export class RelayPins {
  private readonly relay: string;
  /** What the relay must prove: `--relay-key`, else the pin; undefined on first contact. */
  private readonly expected: string | undefined;
  private wasRefused = false;
  /** The loud report of a changed key, written once the UI has given the terminal back. */
  private report: string | null = null;

  constructor(
    private readonly path: string,
    private readonly host: string,
    private readonly port: number,
    private readonly explicit: string | undefined,
  ) {
    this.relay = relayKey(host, port);
    this.expected = explicit ?? readKnownRelays(path).get(this.relay);
  }

  /** Whether the client refused the relay (the command then exits with RELAY_REFUSED_STATUS). */
  get refused(): boolean {
    return this.wasRefused;
  }

  /** The connection's pin, when there is one. */
  v2Options(): { readonly pinnedFingerprint?: string } {
    return this.expected === undefined ? {} : { pinnedFingerprint: this.expected };
  }

  /**
   * Pins what the relay proves on first contact (or with --relay-key). `say` tells the user, on stderr, for
   * the UIs that leave it free; the full-screen UI shows the first contact itself.
   */
  watch(client: ChatClient, say: boolean): void {
    client.on('relay-identity', (event) => {
      if (this.explicit !== undefined && event.fingerprint === this.explicit) {
        pinRelay(this.path, this.relay, event.fingerprint);
      } else if (event.firstContact) {
        pinRelay(this.path, this.relay, event.fingerprint);
        if (say)
          process.stderr.write(
            `relay ${this.relay} identity ${event.fingerprint} (first contact: pinned in known_relays)\n`,
          );
      }
    });
    client.on('v2-refused', (event) => {
      if (say) process.stderr.write(`${downgradeNotice(this.relay, event.reason)}\n`);
    });
    client.on('error', (error) => {
      if (!REFUSALS.has(error.code)) return;
      this.wasRefused = true;
      if (error.code === 'identity-changed') this.report = this.changedReport(error.offered ?? '?');
    });
  }

  /** Writes the report of a changed key, if there is one: after the UI, so no screen can hide it. */
  reportRefusal(): void {
    if (this.report !== null) process.stderr.write(this.report);
    this.report = null;
  }

  private changedReport(offered: string): string {
    return [
      `RELAY IDENTITY CHANGED for ${this.relay}`,
      `  pinned:  ${this.expected ?? '(none)'}`,
      `  offered: ${offered}`,
      "Someone may be intercepting this connection, or the relay's identity file was replaced.",
      `If you trust the new key:  udpchat chat --relay-key ${offered} --host ${this.host} --port ${this.port}`,
      '',
    ].join('\n');
  }
}

/** What a client says when a relay refused protected v2 and it speaks v1 instead. */
export function downgradeNotice(relay: string, reason: 'wire2-only' | 'full'): string {
  const why = reason === 'wire2-only' ? 'it speaks wire version 2 only' : 'it is full';
  return `relay ${relay} refused protected v2 (${why}): speaking v1, which is neither encrypted nor authenticated`;
}
