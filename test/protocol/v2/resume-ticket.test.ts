import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proofMatches, ResumptionKey } from '../../../src/protocol/v2/resume-proof.ts';
import {
  openTicket,
  sealTicket,
  type TicketContent,
  ticketKey,
} from '../../../src/protocol/v2/resume-ticket.ts';
import { deterministicRandom, filled } from './deterministic-random.ts';

const { random } = deterministicRandom('resume-ticket');
const clusterKey = filled(32, 7);
const key = ticketKey(clusterKey);

const content: TicketContent = {
  resumptionId: filled(8, 1),
  expiresAt: 1_796_000_000_123,
  clientKey: ResumptionKey.generate(random).publicKey,
  node: 'relay-a',
  nick: 'alice',
  account: true,
  serverOperator: false,
  rooms: ['#lobby', '#den', '#café'],
  current: '#den',
};

describe('resumption tickets', () => {
  it('open under the cluster key to exactly what was sealed', () => {
    const opened = openTicket(key, sealTicket(key, random, content));
    assert.deepEqual(opened, content);
  });

  it('open on another relay that derives the key from the same shared key', () => {
    const sealed = sealTicket(key, random, content);
    assert.deepEqual(openTicket(ticketKey(new Uint8Array(clusterKey)), sealed), content);
  });

  it('do not open under another cluster key (a standalone relay, a stranger)', () => {
    const sealed = sealTicket(key, random, content);
    assert.equal(openTicket(ticketKey(filled(32, 8)), sealed), null);
  });

  it('refuse any flipped bit, a cut one, an unknown format, and garbage', () => {
    const sealed = sealTicket(key, random, content);
    for (let i = 0; i < sealed.byteLength; i++) {
      const forged = new Uint8Array(sealed);
      forged[i] = (forged[i] ?? 0) ^ 0x01;
      assert.equal(openTicket(key, forged), null, `bit flipped in byte ${i}`);
    }
    assert.equal(openTicket(key, sealed.subarray(0, sealed.byteLength - 1)), null);
    assert.equal(openTicket(key, new Uint8Array(0)), null);
    assert.equal(openTicket(key, random(200)), null);
  });

  it('seal a new nonce each time, so two tickets of the same session differ', () => {
    const a = sealTicket(key, random, content);
    const b = sealTicket(key, random, content);
    assert.notDeepEqual(a, b);
    assert.deepEqual(openTicket(key, a), openTicket(key, b));
  });

  it('carry no current room, and no rooms', () => {
    const bare = { ...content, rooms: [], current: null };
    assert.deepEqual(openTicket(key, sealTicket(key, random, bare)), bare);
  });

  it('refuse to seal what the format cannot carry', () => {
    assert.throws(() => sealTicket(key, random, { ...content, nick: '' }), RangeError);
    assert.throws(() => sealTicket(key, random, { ...content, resumptionId: filled(4, 0) }), RangeError);
    const rooms = Array.from({ length: 21 }, (_, i) => `#r${i}`);
    assert.throws(() => sealTicket(key, random, { ...content, rooms }), RangeError);
  });
});

describe('resumption proofs', () => {
  const client = ResumptionKey.generate(random);

  it("verify for the session they were made for, under the ticket's client key", () => {
    assert.equal(proofMatches(client.publicKey, 'v2:a0a1', client.prove('v2:a0a1')), true);
  });

  it('are worth nothing in another session, or from another key', () => {
    const proof = client.prove('v2:a0a1');
    assert.equal(proofMatches(client.publicKey, 'v2:b0b1', proof), false);
    assert.equal(proofMatches(ResumptionKey.generate(random).publicKey, 'v2:a0a1', proof), false);
    assert.equal(proofMatches(client.publicKey, 'v2:a0a1', proof.subarray(1)), false);
    assert.equal(proofMatches(filled(32, 0xff), 'v2:a0a1', proof), false);
  });
});
