/**
 * The chat command's side of relay pinning (docs/PROTOCOL-v2.md, 5.3 and 16), per relay of the list:
 * which fingerprint each relay must prove (`--relay-key` for the first, else its pin in known_relays),
 * pinning on first contact under that relay's own address (said on stderr), and the loud report, with the
 * command that accepts the new key, when a relay proves another one (refused; skipped during a move).
 */

import type { RelayTarget } from '../client/failover.ts';
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
  /** The first relay of the list: the one `--relay-key` is about. */
  private readonly first: string;
  private wasRefused = false;
  /** The loud reports of changed keys, written once the UI has given the terminal back (full screen). */
  private reports: string[] = [];
  /** The reports already written: a relay skipped at each round of a move is reported once. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly path: string,
    host: string,
    port: number,
    private readonly explicit: string | undefined,
  ) {
    this.first = relayKey(host, port);
  }

  /** Whether the client refused its relay (the command then exits with RELAY_REFUSED_STATUS). */
  get refused(): boolean {
    return this.wasRefused;
  }

  /**
   * What `relay` must prove, asked at each session opened to it (ChatClientOptions.pinFor): `--relay-key`
   * for the first relay, else its own line in known_relays (read again: a move may have pinned one since);
   * undefined on first contact.
   */
  pinFor(relay: RelayTarget): string | undefined {
    const name = relayKey(relay.host, relay.port);
    if (name === this.first && this.explicit !== undefined) return this.explicit;
    return readKnownRelays(this.path).get(name);
  }

  /**
   * Pins what each relay proves on first contact (or with --relay-key), under that relay's own address.
   * `say` tells the user, on stderr, for the UIs that leave it free; the full-screen UI shows it itself,
   * and gets the loud report of a changed key after it gave the terminal back.
   */
  watch(client: ChatClient, say: boolean): void {
    client.on('relay-identity', (event) => {
      const relay = relayKey(event.host, event.port);
      const explicit = relay === this.first ? this.explicit : undefined;
      if (explicit !== undefined && event.fingerprint === explicit) {
        pinRelay(this.path, relay, event.fingerprint);
      } else if (event.firstContact) {
        pinRelay(this.path, relay, event.fingerprint);
        if (say)
          process.stderr.write(
            `relay ${relay} identity ${event.fingerprint} (first contact: pinned in known_relays)\n`,
          );
      }
    });
    client.on('v2-refused', (event) => {
      if (say) process.stderr.write(`${downgradeNotice(this.first, event.reason)}\n`);
    });
    client.on('v2-waiting', (event) => {
      if (say) process.stderr.write(`${waitingNotice(event.relay, event.reason, event.retryMs)}\n`);
    });
    client.on('error', (error) => {
      if (!REFUSALS.has(error.code)) return;
      this.wasRefused = true;
      this.refusal(error, false);
    });
    // A relay moved to that proves another key is skipped, as loudly: the client goes on to the next.
    client.on('relay-skipped', (event) => this.refusal(event.error, say));
  }

  /** Writes the reports of changed keys, if any: after the UI, so no screen can hide them. */
  reportRefusal(): void {
    for (const report of this.reports) process.stderr.write(report);
    this.reports = [];
  }

  private refusal(error: ChatClientError, now: boolean): void {
    if (error.code !== 'identity-changed' || error.host === undefined || error.port === undefined) return;
    const offered = error.offered ?? '?';
    const report = this.changedReport(error.host, error.port, offered);
    if (this.reported.has(report)) return;
    this.reported.add(report);
    if (now) process.stderr.write(report);
    else this.reports.push(report);
  }

  private changedReport(host: string, port: number, offered: string): string {
    const relay = relayKey(host, port);
    const pinned = this.pinFor({ host, port });
    return [
      `RELAY IDENTITY CHANGED for ${relay}`,
      `  pinned:  ${pinned ?? '(none)'}`,
      `  offered: ${offered}`,
      "Someone may be intercepting this connection, or the relay's identity file was replaced.",
      `If you trust the new key:  udpchat chat --relay-key ${offered} --host ${host} --port ${port}`,
      '',
    ].join('\n');
  }
}

/** What a client says when a relay refused (or did not answer) protected v2 and it speaks v1 instead. */
export function downgradeNotice(relay: string, reason: 'silent' | 'wire2-only' | 'full'): string {
  const unprotected = 'speaking v1, which is neither encrypted nor authenticated';
  if (reason === 'silent') return `relay ${relay} did not answer protected v2: ${unprotected}`;
  const why = reason === 'wire2-only' ? 'it speaks wire version 2 only' : 'it is full';
  return `relay ${relay} refused protected v2 (${why}): ${unprotected}`;
}

/** What a pinned client says, once, while its relay gives no protected v2 session (it keeps trying). */
export function waitingNotice(relay: string, reason: 'unanswered' | 'full', retryMs: number): string {
  const why = reason === 'full' ? 'is full (REJECT 3)' : 'does not answer protected v2';
  const every = `${retryMs / 1000} s`;
  return `relay ${relay} ${why}; it is pinned, so no v1: trying again every ${every}`;
}
