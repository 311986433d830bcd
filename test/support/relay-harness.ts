/** Drives the sans-I/O relay with a fake clock and reads its transmits as text lines. */
import type { Address } from '../../src/protocol/address.ts';
import type { RelayOutput } from '../../src/relay/output.ts';
import { Relay, type RelayOptions } from '../../src/relay/relay.ts';

export const ALICE: Address = { host: '127.0.0.1', port: 40001 };
export const BOB: Address = { host: '127.0.0.1', port: 40002 };
export const CAROL: Address = { host: '127.0.0.1', port: 40003 };
export const STRANGER: Address = { host: '127.0.0.9', port: 40009 };

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Every transmit as `host:port <- text` with the trailing newline kept visible as `\n`. */
export function lines(output: RelayOutput): string[] {
  return output.transmits.map((t) => `${t.to.port} <- ${decoder.decode(t.payload).replaceAll('\n', '\\n')}`);
}

/** The texts sent to one address. */
export function to(output: RelayOutput, address: Address): string[] {
  return output.transmits
    .filter((t) => t.to.host === address.host && t.to.port === address.port)
    .map((t) => decoder.decode(t.payload));
}

export class Harness {
  readonly relay: Relay;
  now = 0;

  constructor(options: RelayOptions = {}) {
    this.relay = new Relay(options, 0);
  }

  send(from: Address, text: string | Uint8Array): RelayOutput {
    const bytes = typeof text === 'string' ? encoder.encode(text) : text;
    return this.relay.handle(this.now, from, bytes);
  }

  /** Advances the clock and runs every tick due on the way, merging their outputs. */
  advance(ms: number): RelayOutput {
    const merged: RelayOutput = { transmits: [], events: [], tasks: [] };
    const end = this.now + ms;
    while (this.relay.nextTickAt() <= end) {
      this.now = this.relay.nextTickAt();
      const out = this.relay.tick(this.now);
      merged.transmits.push(...out.transmits);
      merged.events.push(...out.events);
    }
    this.now = end;
    return merged;
  }

  join(address: Address, nick: string): RelayOutput {
    return this.send(address, `/join ${nick}\n`);
  }
}

/** Alice, Bob and Carol, joined in that order. */
export function trio(): Harness {
  const h = new Harness();
  h.join(ALICE, 'alice');
  h.join(BOB, 'bob');
  h.join(CAROL, 'carol');
  return h;
}
