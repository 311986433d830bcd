import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { askTicket, readTicketLine, resumeWith, toBase64Url } from '../../src/protocol/resume-messages.ts';
import type { RandomSource } from '../../src/protocol/v2/crypto.ts';
import { ResumptionKey } from '../../src/protocol/v2/resume-proof.ts';
import { DEFAULT_TICKET_LIFETIME_MS } from '../../src/protocol/v2/resume-ticket.ts';
import type { ClusterAction } from '../../src/relay/cluster/actions.ts';
import { collectingSink, emptyOutput, type RelayOutput } from '../../src/relay/output.ts';
import type { SessionPeer } from '../../src/relay/peer.ts';
import { Relay, type RelayOptions } from '../../src/relay/relay.ts';
import { SpentTickets } from '../../src/relay/resume/spent-tickets.ts';
import { BOB } from '../support/relay-harness.ts';

/** Deterministic randomness: SHA-256 of a seed and a counter. */
function seeded(seed: string): RandomSource {
  let counter = 0;
  return (count) => {
    const out = new Uint8Array(count);
    for (let at = 0; at < count; at += 32) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, count - at)), at);
    }
    return out;
  };
}

const SHARED = new Uint8Array(32).fill(7);
const OTHER = new Uint8Array(32).fill(9);

let nextPort = 50000;

class V2Peer implements SessionPeer {
  readonly linesCarryIds = true;
  readonly host = '127.0.0.1';
  readonly port = nextPort++;
  constructor(readonly sessionKey: string) {}
}

interface Step {
  readonly out: RelayOutput;
  readonly cluster: ClusterAction[];
}

function say(relay: Relay, now: number, peer: SessionPeer, ...text: string[]): Step {
  const out = emptyOutput();
  const cluster: ClusterAction[] = [];
  relay.handleLinesInto(now, peer, text, { ...collectingSink(out), cluster: (a) => cluster.push(a) });
  return { out, cluster };
}

function textTo(out: RelayOutput, to: { host: string; port: number }): string[] {
  return out.transmits
    .filter((t) => t.to.host === to.host && t.to.port === to.port)
    .map((t) => new TextDecoder().decode(t.payload).trimEnd());
}

function relayWith(key: Uint8Array | null, extra: RelayOptions = {}): Relay {
  return new Relay({ resumptionKey: key, random: seeded(`relay-${extra.clusterNode ?? ''}`), ...extra });
}

/** Alice joins relay A over v2, enters #a and #b, talks in #a, and asks for a ticket. */
function aliceWithTicket(relay: Relay, now = 0): { key: ResumptionKey; ticket: string } {
  const alice = new V2Peer('v2:00000000000000a1');
  say(relay, now, alice, '/join alice', '/join #b', '/join #a');
  const key = ResumptionKey.generate(seeded('alice'));
  const answer = textTo(say(relay, now, alice, askTicket(toBase64Url(key.publicKey))).out, alice);
  const ticket = answer.map(readTicketLine).find((t) => t !== null);
  assert.ok(ticket, `a ticket line in ${JSON.stringify(answer)}`);
  return { key, ticket };
}

function resume(relay: Relay, now: number, key: ResumptionKey, ticket: string, sessionKey: string): string[] {
  const peer = new V2Peer(sessionKey);
  return textTo(say(relay, now, peer, resumeWith(ticket, toBase64Url(key.prove(sessionKey)))).out, peer);
}

describe('session resumption in the relay core', () => {
  it('a good ticket on another relay of the cluster restores the nick, the rooms and the current room', () => {
    const a = relayWith(SHARED);
    const b = relayWith(SHARED);
    const { key, ticket } = aliceWithTicket(a);
    b.handle(0, BOB, new TextEncoder().encode('/join bob\n/join #a\n'));
    const fresh = new V2Peer('v2:00000000000000b2');
    const answer = textTo(
      say(b, 10, fresh, resumeWith(ticket, toBase64Url(key.prove(fresh.sessionKey)))).out,
      fresh,
    );
    assert.equal(answer[0]?.startsWith('*** welcome, alice ***'), true, answer.join('\n'));
    assert.ok(answer.includes('[#b] *** you joined #b; now talking in #b ***'));
    assert.ok(answer.includes('[#a] *** you joined #a; now talking in #a ***'));
    assert.equal(answer.at(-1), '*** resumed alice from standalone in #b #a ***');
    // #a was current when the ticket was issued: a plain line still goes there.
    const line = say(b, 11, fresh, 'back again').out;
    assert.deepEqual(
      textTo(line, BOB),
      ['[#a] <alice> back again'].map((l) => l),
      'bob in #a hears it',
    );
  });

  it('an expired ticket is refused with its reason', () => {
    const a = relayWith(SHARED);
    const { key, ticket } = aliceWithTicket(a);
    const b = relayWith(SHARED);
    const answer = resume(b, DEFAULT_TICKET_LIFETIME_MS + 1, key, ticket, 'v2:00000000000000b3');
    assert.deepEqual(answer, ['*** resume refused: expired ***']);
    assert.equal(b.sessions.size, 0);
  });

  it('a ticket honoured once is refused the second time (single use)', () => {
    const a = relayWith(SHARED);
    const { key, ticket } = aliceWithTicket(a);
    const b = relayWith(SHARED);
    assert.equal(
      resume(b, 1, key, ticket, 'v2:00000000000000b4').at(-1)?.startsWith('*** resumed alice'),
      true,
    );
    b.disconnectInto(2, new V2Peer('v2:00000000000000b4'), collectingSink(emptyOutput()));
    assert.deepEqual(resume(b, 3, key, ticket, 'v2:00000000000000b5'), [
      '*** resume refused: already used ***',
    ]);
  });

  it('a proof for another session is refused, and does not use the ticket up', () => {
    const a = relayWith(SHARED);
    const { key, ticket } = aliceWithTicket(a);
    const b = relayWith(SHARED);
    const thief = new V2Peer('v2:00000000000000c1');
    // The eavesdropper copies the ticket and the proof the owner made for its own session.
    const copied = toBase64Url(key.prove('v2:00000000000000b6'));
    assert.deepEqual(textTo(say(b, 1, thief, resumeWith(ticket, copied)).out, thief), [
      '*** resume refused: bad proof ***',
    ]);
    const stranger = ResumptionKey.generate(seeded('mallory'));
    assert.deepEqual(resume(b, 1, stranger, ticket, 'v2:00000000000000c2'), [
      '*** resume refused: bad proof ***',
    ]);
    assert.equal(
      resume(b, 2, key, ticket, 'v2:00000000000000b6').at(-1)?.startsWith('*** resumed alice'),
      true,
    );
  });

  it('a ticket sealed under another key, an altered one or garbage is a bad ticket', () => {
    const stranger = relayWith(OTHER);
    const { key, ticket } = aliceWithTicket(stranger);
    const b = relayWith(SHARED);
    assert.deepEqual(resume(b, 1, key, ticket, 'v2:00000000000000d1'), [
      '*** resume refused: bad ticket ***',
    ]);
    const a = relayWith(SHARED);
    const good = aliceWithTicket(a);
    const flipped = `${good.ticket.slice(0, 20)}${good.ticket[20] === 'A' ? 'B' : 'A'}${good.ticket.slice(21)}`;
    assert.deepEqual(resume(b, 1, good.key, flipped, 'v2:00000000000000d2'), [
      '*** resume refused: bad ticket ***',
    ]);
    const peer = new V2Peer('v2:00000000000000d3');
    for (const args of ['/resume', '/resume x', '/resume !!! ???', `/resume ${'A'.repeat(2000)} AAAA`]) {
      assert.deepEqual(textTo(say(b, 1, peer, args).out, peer), ['*** resume refused: bad ticket ***'], args);
    }
    assert.equal(b.sessions.size, 0);
  });

  it('a nick someone else holds on the new relay is refused; the client then joins as usual', () => {
    const a = relayWith(SHARED);
    const { key, ticket } = aliceWithTicket(a);
    const b = relayWith(SHARED);
    b.handle(0, BOB, new TextEncoder().encode('/join alice\n'));
    assert.deepEqual(resume(b, 1, key, ticket, 'v2:00000000000000e1'), [
      '*** resume refused: nick in use ***',
    ]);
  });

  it('on the same relay, the client proven by its key replaces its own earlier session', () => {
    const a = relayWith(SHARED);
    a.handle(0, BOB, new TextEncoder().encode('/join bob\n'));
    const { key, ticket } = aliceWithTicket(a);
    const fresh = new V2Peer('v2:00000000000000e2');
    const step = say(a, 1, fresh, resumeWith(ticket, toBase64Url(key.prove(fresh.sessionKey))));
    assert.equal(textTo(step.out, fresh).at(-1), '*** resumed alice from standalone in #b #a ***');
    assert.equal(a.sessions.size, 2, 'bob and the new alice: no ghost of the old session');
    assert.deepEqual(textTo(step.out, BOB), ['*** alice left ***', '*** alice joined ***']);
  });

  it('v1 clients and relays without a resumption key are refused clearly', () => {
    const plain = new Relay();
    const peer = new V2Peer('v2:00000000000000f1');
    say(plain, 0, peer, '/join zed');
    assert.deepEqual(textTo(say(plain, 0, peer, '/ticket AAAA').out, peer), [
      '*** no ticket: resumption is for v2 sessions of a relay that offers it ***',
    ]);
    const withKey = relayWith(SHARED);
    const v1 = withKey.handle(0, BOB, new TextEncoder().encode('/join bob\n/ticket AAAA\n/resume a b\n'));
    assert.deepEqual(textTo(v1, BOB).slice(-2), [
      '*** no ticket: resumption is for v2 sessions of a relay that offers it ***',
      '*** resume refused: already joined ***',
    ]);
    const v1New = withKey.handle(
      0,
      { host: '127.0.0.1', port: 40111 },
      new TextEncoder().encode('/resume a b\n'),
    );
    assert.deepEqual(textTo(v1New, { host: '127.0.0.1', port: 40111 }), [
      '*** resume refused: not a v2 session ***',
    ]);
    const other = new V2Peer('v2:00000000000000f2');
    assert.deepEqual(textTo(say(plain, 0, other, '/resume a b').out, other), [
      '*** resume refused: not offered here ***',
    ]);
    const joined = new V2Peer('v2:00000000000000f3');
    say(withKey, 0, joined, '/join yan');
    assert.deepEqual(textTo(say(withKey, 0, joined, '/ticket not-a-key').out, joined), [
      '*** usage: /ticket <client key> ***',
    ]);
  });

  it('in a cluster the nick is claimed with a takeover, and the rooms come back when it is won', () => {
    const a = relayWith(SHARED, { clusterNode: 'relay-a' });
    a.clusterStatusInto(0, true, collectingSink(emptyOutput()));
    const alice = new V2Peer('v2:00000000000000a9');
    const joinStep = say(a, 0, alice, '/join alice');
    const claim = joinStep.cluster.find((c) => c.type === 'claim');
    assert.ok(claim?.type === 'claim');
    a.clusterClaimedInto(0, claim.id, { ok: true, provisional: false }, collectingSink(emptyOutput()));
    say(a, 0, alice, '/join #a');
    const key = ResumptionKey.generate(seeded('alice-cluster'));
    const ticket = textTo(say(a, 0, alice, askTicket(toBase64Url(key.publicKey))).out, alice)
      .map(readTicketLine)
      .find((t) => t !== null);
    assert.ok(ticket);

    const b = relayWith(SHARED, { clusterNode: 'relay-b' });
    const fresh = new V2Peer('v2:00000000000000b9');
    const step = say(b, 1, fresh, resumeWith(ticket, toBase64Url(key.prove(fresh.sessionKey))));
    const takeover = step.cluster.find((c) => c.type === 'claim');
    assert.deepEqual(takeover && { ...takeover, id: 0 }, {
      type: 'claim',
      id: 0,
      nickKey: lookalikeKey('alice'),
      nick: 'alice',
      takeover: true,
    });
    assert.ok(takeover?.type === 'claim');
    const won = emptyOutput();
    b.clusterClaimedInto(2, takeover.id, { ok: true, provisional: false }, collectingSink(won));
    assert.equal(textTo(won, fresh).at(-1), '*** resumed alice from relay-a in #a ***');

    const c = relayWith(SHARED, { clusterNode: 'relay-c' });
    const late = new V2Peer('v2:00000000000000c9');
    const lost = say(c, 1, late, resumeWith(ticket, toBase64Url(key.prove(late.sessionKey))));
    const claimC = lost.cluster.find((x) => x.type === 'claim');
    assert.ok(claimC?.type === 'claim');
    const refused = emptyOutput();
    c.clusterClaimedInto(2, claimC.id, { ok: false, owner: 'relay-b' }, collectingSink(refused));
    assert.deepEqual(textTo(refused, late), ['*** resume refused: nick in use ***']);
  });
});

describe('the spent tickets a relay remembers', () => {
  const id = (n: number): Uint8Array => new Uint8Array(8).fill(n);

  it('keeps each id until its ticket expires, then forgets it', () => {
    const spent = new SpentTickets(10);
    spent.spend(id(1), 1_000, 0);
    spent.spend(id(2), 5_000, 0);
    assert.equal(spent.has(id(1)), true);
    spent.spend(id(3), 9_000, 2_000); // ticket 1 expired at 1,000
    assert.deepEqual([spent.has(id(1)), spent.has(id(2)), spent.has(id(3))], [false, true, true]);
  });

  it('is bounded: past its capacity the oldest id is forgotten', () => {
    const spent = new SpentTickets(3);
    for (let n = 1; n <= 5; n++) spent.spend(id(n), 60_000, 0);
    assert.equal(spent.size, 3);
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => spent.has(id(n))),
      [false, false, true, true, true],
    );
  });
});

describe('resumption never trusts what it is sent', () => {
  it('any words after /resume get exactly one refusal and register nobody', () => {
    const relay = relayWith(SHARED);
    const base64ish = fc.stringMatching(/^[A-Za-z0-9_-]{0,900}$/);
    const words = fc.oneof(base64ish, fc.string({ maxLength: 300 }));
    let n = 0;
    fc.assert(
      fc.property(fc.array(words, { maxLength: 4 }), (args) => {
        const peer = new V2Peer(`v2:${(n++).toString(16).padStart(16, '0')}`);
        // A fresh relay time per try, so the per-host join rate never answers instead.
        const answer = textTo(say(relay, n * 10_000, peer, `/resume ${args.join(' ')}`).out, peer);
        assert.equal(answer.length, 1, JSON.stringify(answer));
        assert.match(
          answer[0] ?? '',
          /^\*\*\* resume refused: (bad ticket|expired|already used|bad proof) \*\*\*$/,
        );
        assert.equal(relay.sessions.size, 0);
      }),
      { numRuns: 300 },
    );
  });
});
