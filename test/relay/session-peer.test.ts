import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectingSink, emptyOutput, type RelayOutput } from '../../src/relay/output.ts';
import type { SessionPeer } from '../../src/relay/peer.ts';
import { Relay } from '../../src/relay/relay.ts';
import { BOB, to } from '../support/relay-harness.ts';

/** A v2 session as the relay core sees it: an identity that outlives its address. */
class MovablePeer implements SessionPeer {
  constructor(
    readonly sessionKey: string,
    public host: string,
    public port: number,
  ) {}
}

function lines(relay: Relay, now: number, peer: SessionPeer, ...text: string[]): RelayOutput {
  const output = emptyOutput();
  relay.handleLinesInto(now, peer, text, collectingSink(output));
  return output;
}

function decoded(output: RelayOutput): string[] {
  return output.transmits.map((t) => new TextDecoder().decode(t.payload));
}

describe('v2 sessions in the relay core', () => {
  it('a session keeps its nick when its address changes: no ghost, no rejoin', () => {
    const relay = new Relay();
    const alice = new MovablePeer('s:01', '127.0.0.1', 5000);
    assert.deepEqual(decoded(lines(relay, 0, alice, '/join alice')), ['*** welcome, alice ***\n']);
    relay.handle(0, BOB, new TextEncoder().encode('/join bob\n'));
    alice.port = 6001; // the NAT rebound; the v2 layer validated the new path
    const out = lines(relay, 1, alice, 'still me');
    assert.deepEqual(to(out, BOB), ['<alice> still me\n']);
    assert.equal(relay.sessions.size, 2);
    const toAlice = relay.handle(2, BOB, new TextEncoder().encode('hi alice\n')).transmits;
    assert.equal(toAlice[0]?.to.port, 6001);
  });

  it('two sessions from one address are two clients', () => {
    const relay = new Relay();
    const a = new MovablePeer('s:a', '127.0.0.1', 5000);
    const b = new MovablePeer('s:b', '127.0.0.1', 5000);
    lines(relay, 0, a, '/join one');
    assert.deepEqual(decoded(lines(relay, 0, b, '/join two')), [
      '*** two joined ***\n',
      '*** welcome, two ***\n',
    ]);
  });

  it('replies to a session that has not joined are not rate-limited like a bare address', () => {
    const relay = new Relay();
    const peer = new MovablePeer('s:x', '127.0.0.1', 5000);
    let answered = 0;
    for (let i = 0; i < 10; i++) answered += lines(relay, 0, peer, 'hello?').transmits.length;
    assert.equal(answered, 10);
  });

  it('a session that disconnects without /leave is announced as left', () => {
    const relay = new Relay();
    const peer = new MovablePeer('s:y', '127.0.0.1', 5000);
    lines(relay, 0, peer, '/join yan');
    relay.handle(0, BOB, new TextEncoder().encode('/join bob\n'));
    const output = emptyOutput();
    relay.disconnectInto(1, peer, collectingSink(output));
    assert.deepEqual(to(output, BOB), ['*** yan left ***\n']);
    assert.equal(relay.sessions.size, 1);
  });
});
