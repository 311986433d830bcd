import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Address } from '../../src/protocol/address.ts';
import { MAX_DATAGRAM_BYTES } from '../../src/protocol/limits.ts';
import type { RelayOutput } from '../../src/relay/output.ts';
import { Relay } from '../../src/relay/relay.ts';

const strict = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** The invariants of every datagram the relay sends, whatever it was sent. */
function assertOutboundInvariants(output: RelayOutput): void {
  for (const { payload } of output.transmits) {
    assert.ok(payload.byteLength <= MAX_DATAGRAM_BYTES, `${payload.byteLength} bytes`);
    const text = strict.decode(payload); // throws on invalid UTF-8
    assert.ok(text.endsWith('\n'), 'ends with \\n');
    const body = text.slice(0, -1);
    assert.ok(!body.includes('\n'), 'exactly one \\n, at the end');
    assert.doesNotMatch(body, /[\x00-\x08\x0a-\x1f\x7f-\x9f]/, 'no C0 except TAB, no DEL, no C1');
    assert.doesNotMatch(body, /[\u202a-\u202e\u2066-\u2069]/, 'no bidi overrides');
  }
}

const addresses: Address[] = [1, 2, 3, 4].map((i) => ({ host: '127.0.0.1', port: 50_000 + i }));

/** Datagrams that are partly well-formed (so joins happen and lines get relayed) and partly hostile. */
const datagram = fc.oneof(
  fc.uint8Array({ maxLength: 1500 }),
  fc.string({ unit: 'binary', maxLength: 1100 }).map((s) => encoder.encode(s)),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((nick) => encoder.encode(`/join ${nick}\n`)),
  fc
    .array(
      fc.constantFrom(
        'hi',
        '\x1b[2J',
        '\x9b1m',
        '\u202e',
        '\r',
        '\n',
        'é',
        '𝐚',
        '/ping',
        '/leave',
        '\x00',
        '\t',
      ),
      {
        maxLength: 400,
      },
    )
    .map((parts) => encoder.encode(parts.join(''))),
);

describe('relay invariants under arbitrary input', () => {
  it('random datagrams never throw and every outbound datagram is valid, single-line, safe UTF-8 of <= 1,200 bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ from: fc.constantFrom(...addresses), bytes: datagram, dt: fc.nat(20_000) }), {
          maxLength: 60,
        }),
        (steps) => {
          const relay = new Relay({ idleTimeoutMs: 30_000, sweepIntervalMs: 5_000 });
          let now = 0;
          for (const step of steps) {
            now += step.dt;
            assertOutboundInvariants(relay.tick(now));
            assertOutboundInvariants(relay.handle(now, step.from, step.bytes));
          }
          assertOutboundInvariants(relay.shutdown(now));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('nothing is ever sent back to the sender of a chat line', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (text) => {
        const relay = new Relay();
        relay.handle(0, addresses[0] as Address, encoder.encode('/join one\n'));
        relay.handle(0, addresses[1] as Address, encoder.encode('/join two\n'));
        const out = relay.handle(1, addresses[0] as Address, encoder.encode(`${text.replaceAll('/', '')}\n`));
        const refusals = out.events.filter((e) => e.type === 'refused').length;
        const toSender = out.transmits.filter((t) => t.to.port === addresses[0]?.port).length;
        assert.equal(toSender, refusals);
      }),
      { numRuns: 300 },
    );
  });
});
