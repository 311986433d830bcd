import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Failover,
  HELD_ID_BASE,
  MAX_HELD_LINES,
  MAX_QUEUED_LINES,
  RESEND_AFTER_JOIN_MS,
  RESEND_BURST,
  RESEND_SPACING_MS,
  type WaitingLine,
} from '../../src/client/failover.ts';
import { TICKET_ASK_RETRY_MS, TICKET_REFRESH_MS, TicketHolder } from '../../src/client/ticket-holder.ts';
import { encodeLine } from '../../src/protocol/codec.ts';
import { fromBase64Url, readTicketLine } from '../../src/protocol/resume-messages.ts';
import { proofMatches } from '../../src/protocol/v2/resume-proof.ts';
import { seededBytes } from '../sim/chat-sim.ts';

const A = { host: '10.0.0.1', port: 9999 };
const B = { host: '10.0.0.2', port: 9999 };
const C = { host: '10.0.0.3', port: 9999 };
const line = (text: string): Uint8Array => encodeLine(text);
const text = (lines: readonly WaitingLine[]): string[] =>
  lines.map((l) => new TextDecoder().decode(l.datagram).trimEnd());

describe('failover: the relays, the ticket and the lines carried over (pure)', () => {
  it('with one relay there is nothing to move to', () => {
    const one = new Failover([A], seededBytes(1));
    assert.equal(one.enabled, false);
    assert.equal(one.begin(), null);
  });

  it('moves along the list, each relay at most once per loss, and again after a welcome', () => {
    const f = new Failover([A, B, C], seededBytes(2));
    assert.deepEqual(f.begin(), B);
    assert.deepEqual(f.begin(), C);
    assert.equal(f.begin(), null, 'every other relay tried');
    f.tryAllAgain();
    assert.deepEqual(f.begin(), A);
    f.established('v2:00');
    f.welcomed(0);
    assert.deepEqual(f.begin(), B, 'a welcome starts a new round');
  });

  it('carries over only what the lost relay did not acknowledge, then what was said during the move', () => {
    const f = new Failover([A, B], seededBytes(3));
    f.sent(1, line('one'));
    f.sent(2, line('two'));
    f.sent(3, line('three'));
    f.acked(2);
    f.begin();
    f.hold(line('typed while moving'));
    f.acked(1); // a late acknowledgement from a relay already given up changes nothing
    f.established('v2:01');
    const { resumed, resent } = f.welcomed(1_000);
    assert.equal(resumed, false, 'no ticket was held');
    assert.equal(resent, 2);
    // A plain join: the client's own /join #room lines go first, these after them, two at a time.
    assert.deepEqual(f.due(1_000), []);
    assert.deepEqual(text(f.due(1_000 + RESEND_AFTER_JOIN_MS)), ['one', 'three']);
    assert.deepEqual(text(f.due(1_000 + RESEND_AFTER_JOIN_MS + RESEND_SPACING_MS)), ['typed while moving']);
    assert.equal(f.pacing, false);
  });

  it('numbers the lines it holds; past its bounds it keeps none and says how many wait', () => {
    const f = new Failover([A, B], seededBytes(6));
    f.sent(7, line('unacked'));
    f.begin();
    assert.equal(f.hold(line('h0')), HELD_ID_BASE);
    for (let i = 1; i < MAX_HELD_LINES; i++) assert.equal(f.hold(line(`h${i}`)), HELD_ID_BASE + i);
    assert.deepEqual(f.backlog(), { waiting: MAX_HELD_LINES, room: 0 });
    assert.equal(f.hold(line('one too many')), null);
    f.established('v2:03');
    f.welcomed(0);
    assert.deepEqual(f.backlog(), {
      waiting: MAX_HELD_LINES + 1,
      room: MAX_QUEUED_LINES - MAX_HELD_LINES - 1,
    });
    let queued = 0;
    while (f.queue(line('q')) !== null) queued++;
    assert.equal(queued, MAX_QUEUED_LINES - MAX_HELD_LINES - 1);
    const [carried, first] = f.due(RESEND_AFTER_JOIN_MS);
    assert.deepEqual([carried?.id, first?.id], [7, HELD_ID_BASE], 'each line keeps the id its caller knows');
    // Said on the new relay under new carrier ids: their acknowledgements are reported under the old ones.
    f.sent(2 ** 32, carried?.datagram ?? line(''), carried?.id ?? null);
    f.sent(2 ** 32 + 1, first?.datagram ?? line(''), first?.id ?? null);
    assert.equal(f.settled(2 ** 32 + 1), HELD_ID_BASE);
    assert.equal(f.settled(2 ** 32), 7);
    assert.equal(f.settled(2 ** 32), 2 ** 32, 'once');
  });

  it('paces the carried-over lines under the relay flood control', () => {
    const f = new Failover([A, B], seededBytes(4));
    for (let i = 0; i < 10; i++) f.sent(i, line(`l${i}`));
    f.tickets.take(0, '*** resume ticket AAAA ***');
    f.begin();
    f.established('v2:02');
    assert.equal(f.welcomed(0).resumed, true);
    assert.equal(f.due(0).length, RESEND_BURST);
    assert.deepEqual(f.due(RESEND_SPACING_MS - 1), [], 'not before the spacing');
    assert.deepEqual(text(f.due(RESEND_SPACING_MS)), [`l${RESEND_BURST}`]);
    assert.equal(f.nextDueAt(), 2 * RESEND_SPACING_MS);
  });

  it('opens the new session with /resume and a proof bound to it; the ticket is used once', () => {
    const f = new Failover([A, B], seededBytes(5));
    const request = f.tickets.request(0);
    const clientKey = fromBase64Url(request.split(' ')[1] ?? '');
    assert.ok(clientKey !== null && clientKey.byteLength === 32, request);
    assert.equal(f.tickets.take(100, '*** resume ticket AAAA ***'), true);
    assert.equal(readTicketLine('*** resume ticket AA AA ***'), null, 'not a ticket line');
    assert.equal(f.tickets.refreshAt(), 100 + TICKET_REFRESH_MS);
    f.begin();
    const resume = f.established('v2:0a0b');
    assert.equal(f.phase, 'resuming');
    const [command, ticket, proof] = (resume ?? '').split(' ');
    assert.equal(command, '/resume');
    assert.equal(ticket, 'AAAA');
    assert.ok(proofMatches(clientKey, 'v2:0a0b', fromBase64Url(proof ?? '') ?? new Uint8Array()));
    assert.equal(proofMatches(clientKey, 'v2:0a0c', fromBase64Url(proof ?? '') ?? new Uint8Array()), false);
    assert.equal(f.tickets.holds, false, 'spent');
    assert.notEqual(f.tickets.request(0), request, 'the next session has a key of its own');
  });

  it('reads the answer to /resume: the restored rooms after the welcome, or the refusal', () => {
    const f = new Failover([A, B], seededBytes(6));
    f.tickets.take(0, '*** resume ticket AAAA ***');
    f.begin();
    f.established('v2:03');
    assert.equal(f.answer('*** alice joined ***'), null);
    assert.equal(f.welcomed(0).resumed, true);
    assert.deepEqual(f.answer('*** resumed alice from relay-a in #a #b ***'), {
      kind: 'resumed',
      rooms: ['#a', '#b'],
    });
    assert.equal(f.answer('*** resumed alice from relay-a in #a ***'), null, 'only once');

    const g = new Failover([A, B], seededBytes(7));
    g.tickets.take(0, '*** resume ticket AAAA ***');
    g.begin();
    g.established('v2:04');
    assert.deepEqual(g.answer('*** resume refused: expired ***'), { kind: 'refused' });
    assert.equal(g.phase, 'joining');
    assert.equal(g.refusedBecause, 'expired');
  });

  it('refreshes the ticket at half its lifetime, and does not ask again while the answer travels', () => {
    const holder = new TicketHolder(seededBytes(8));
    assert.equal(holder.refreshAt(), null, 'nothing to refresh without a ticket');
    holder.request(0);
    holder.take(50, '*** resume ticket AAAA ***');
    assert.equal(holder.refreshAt(), 50 + TICKET_REFRESH_MS);
    holder.request(50 + TICKET_REFRESH_MS);
    assert.equal(holder.refreshAt(), 50 + TICKET_REFRESH_MS + TICKET_ASK_RETRY_MS);
    holder.take(60 + TICKET_REFRESH_MS, '*** resume ticket BBBB ***');
    assert.equal(holder.refreshAt(), 60 + 2 * TICKET_REFRESH_MS);
  });
});
