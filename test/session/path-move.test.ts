/**
 * Issue 17, point 4 (and issue 15, point 3): when a session's new address is validated, the relay re-sends
 * every line the client has not acknowledged at once, there, instead of waiting for timers armed for the old
 * path. Until then traffic stays on the old address, and a RESPONSE that echoes another challenge or comes
 * from an address other than the candidate's moves nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { RELAY, V2Net, type Wire } from './v2-harness.ts';

const OLD: Address = { host: '127.0.0.1', port: 40001 };
const NEW: Address = { host: '127.0.0.1', port: 47777 };
const THIRD: Address = { host: '127.0.0.9', port: 5000 };

const at = (address: Address) => (wire: Wire) =>
  wire.to.host === address.host && wire.to.port === address.port;
const from = (address: Address) => (wire: Wire) =>
  wire.from.host === address.host && wire.from.port === address.port;

/** A session whose relay has 3 lines in flight to the client's old address, which has gone dead. */
function stranded(): { net: V2Net; client: ReturnType<V2Net['addClient']>['client'] } {
  const net = new V2Net();
  net.onLines = () => {};
  const { client } = net.addClient(OLD, 7);
  net.advance(50);
  assert.equal(client.state, 'established');
  const session = net.sessionOf(OLD, client);
  net.advance(100); // the relay's ack arrives
  net.drop = at(OLD); // the old NAT mapping is gone
  for (const text of ['one', 'two', 'three']) net.relay.sendLine(session, text);
  net.relay.flush(net.now, net.sink);
  // Three timeouts: the lines' timer is now backed off to 4 s.
  net.advance(3_600, 10);
  net.move(OLD, NEW);
  return { net, client };
}

describe('a session that moves', () => {
  it('gets its unacknowledged lines again on the new path the moment the path is validated', () => {
    const { net, client } = stranded();
    net.drop = () => false;
    const before = net.log.length;
    net.fromClient(NEW, client.send(net.now, 'from the new port').out);
    const after = net.log.slice(before);
    const response = after.findIndex((w) => from(NEW)(w) && w.bytes[2] === 0x07);
    assert.ok(response >= 0, 'the client answered the CHALLENGE');
    // Before the RESPONSE, nothing but the CHALLENGE went to the unproven address.
    const toNewBefore = after.slice(0, response).filter(at(NEW));
    assert.deepEqual(
      toNewBefore.map((w) => w.bytes[2]),
      [0x06],
    );
    // In the same instant as the RESPONSE (no timer ran), the three lines go to the new address.
    const resent = after
      .slice(response)
      .filter(at(NEW))
      .flatMap((w) => net.relayLineTexts(w));
    assert.deepEqual(resent, ['one', 'two', 'three']);
    assert.equal(net.relay.stats.migrations, 1);
    // Counted as the relay's retransmissions (udpchat_v2_retransmissions_total): 3 timeouts and the move.
    assert.equal(net.relay.stats.retransmissions, 3 * 3 + 3);
  });

  it('while the new path is checked, the relay keeps sending to the old, validated address', () => {
    const { net, client } = stranded();
    net.drop = (w) => at(OLD)(w) || (from(NEW)(w) && w.bytes[2] === 0x07); // no RESPONSE gets through
    const before = net.log.length;
    net.fromClient(NEW, client.send(net.now, 'hello').out);
    net.advance(5_000, 10);
    const relayOut = net.log.slice(before).filter((w) => w.from === RELAY);
    const toNew = relayOut.filter(at(NEW));
    assert.ok(
      toNew.length > 0 && toNew.every((w) => w.bytes[2] === 0x06),
      'only CHALLENGEs to the candidate',
    );
    assert.ok(
      relayOut
        .filter(at(OLD))
        .flatMap((w) => net.relayLineTexts(w))
        .includes('one'),
      'retransmissions still go to the old path',
    );
    assert.equal(net.relay.stats.migrations, 0);
  });

  it('a RESPONSE copied to a third address moves nothing, and the genuine one still does', () => {
    const { net, client } = stranded();
    let held: Uint8Array | null = null;
    net.drop = (w) => {
      if (from(NEW)(w) && w.bytes[2] === 0x07 && held === null) {
        held = w.bytes;
        return true;
      }
      return at(OLD)(w);
    };
    net.fromClient(NEW, client.send(net.now, 'hello').out);
    assert.ok(held !== null);
    const response: Uint8Array = held;
    net.drop = () => false;
    net.inject(THIRD, response);
    assert.equal(net.relay.stats.migrations, 0);
    assert.equal(net.log.filter(at(THIRD)).length, 0, 'nothing is sent to the third address');
    net.inject(NEW, response);
    assert.equal(net.relay.stats.migrations, 1);
  });

  it('a RESPONSE that echoes an earlier challenge moves nothing; the current one does', () => {
    const { net, client } = stranded();
    const responses: Uint8Array[] = [];
    net.drop = (w) => {
      if (w.bytes[2] === 0x07) {
        responses.push(w.bytes);
        return true;
      }
      return at(OLD)(w);
    };
    // A first candidate at NEW answers; then the client moves again before its answer arrives.
    net.fromClient(NEW, client.send(net.now, 'from NEW').out);
    assert.equal(responses.length, 1);
    const SECOND: Address = { host: '127.0.0.1', port: 48888 };
    net.move(NEW, SECOND);
    net.fromClient(SECOND, client.send(net.now, 'from SECOND').out);
    assert.equal(responses.length, 2);
    net.drop = () => false;
    net.inject(SECOND, responses[0] as Uint8Array); // genuine, fresh, from the candidate: the old challenge
    assert.equal(net.relay.stats.migrations, 0);
    net.inject(SECOND, responses[1] as Uint8Array);
    assert.equal(net.relay.stats.migrations, 1);
  });
});

describe('the CHALLENGE of a moved session (relay --v2-challenge-retry)', () => {
  /** CHALLENGEs the relay sent to NEW while the client kept talking from there and its RESPONSEs were lost. */
  function challengesWithin(retryMs: number | undefined, windowMs: number): number {
    const net = new V2Net(1, retryMs === undefined ? {} : { challengeRetryMs: retryMs });
    net.onLines = () => {};
    const { client } = net.addClient(OLD, 7);
    net.advance(50);
    assert.equal(client.state, 'established');
    net.move(OLD, NEW);
    net.drop = (wire) => from(NEW)(wire) && wire.bytes[2] === 0x07; // every RESPONSE is lost
    const before = net.log.length;
    for (let sent = 0; sent * 100 <= windowMs; sent++) {
      net.fromClient(NEW, client.send(net.now, `line ${sent}`).out);
      net.advance(100);
    }
    return net.log.slice(before).filter((w) => at(NEW)(w) && w.bytes[2] === 0x06).length;
  }

  it('is sent again after the configured time, and not sooner', () => {
    const quick = challengesWithin(200, 1_000);
    const standard = challengesWithin(undefined, 1_000);
    assert.ok(quick >= 4, `every 200 ms over 1 s: ${quick} CHALLENGEs`);
    assert.ok(standard <= 2, `the 1 s default: ${standard} CHALLENGEs`);
  });
});
