/**
 * The v2 relay's timers are filed per session, so tick and nextTimeout see only what is due: these tests
 * check that the deadlines they report are exact, for one session and for many.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { V2Net } from './v2-harness.ts';

const IDLE_TIMEOUT_MS = 30_000; // V2Net's setting

function at(port: number, host = '127.0.0.1'): Address {
  return { host, port };
}

function establish(net: V2Net, address: Address, seed: number): ReturnType<V2Net['addClient']> {
  const entry = net.addClient(address, seed);
  net.advance(50);
  assert.equal(entry.client.state, 'established');
  return entry;
}

describe('v2 relay timers, per session', () => {
  it('a silent session is dropped the first millisecond after the idle timeout, and not before', () => {
    const net = new V2Net();
    establish(net, at(40001), 7);
    net.drop = () => true; // the client falls silent
    const due = net.relay.nextTimeout();
    assert.ok(due !== null && due > net.now + IDLE_TIMEOUT_MS - 100, `due ${due} at ${net.now}`);
    net.relay.tick(due - 1, net.sink);
    assert.equal(net.relay.sessionCount, 1);
    net.relay.tick(due, net.sink);
    assert.equal(net.relay.sessionCount, 0);
    assert.equal(net.ended.length, 1);
    assert.equal(net.relay.nextTimeout(), null);
  });

  it('of many silent sessions, each tick at nextTimeout drops exactly the one heard longest ago', () => {
    const net = new V2Net();
    // One host each: V2Net caps sessions per host at 10.
    for (let i = 0; i < 30; i++) {
      establish(net, at(41000 + i, `127.0.1.${i + 1}`), 100 + i);
      net.advance(1_000);
    }
    net.drop = () => true;
    for (let left = 30; left > 0; left--) {
      const due = net.relay.nextTimeout();
      assert.ok(due !== null);
      net.relay.tick(due, net.sink);
      assert.equal(net.relay.sessionCount, left - 1, `one session dropped at ${due}`);
      assert.equal(net.ended.at(-1)?.lastHeard, due - IDLE_TIMEOUT_MS - 1);
    }
    const heard = net.ended.map((session) => session.lastHeard);
    assert.deepEqual(
      heard,
      [...heard].sort((a, b) => a - b),
    );
    assert.equal(new Set(heard).size, 30, 'every session last heard at its own time');
    assert.equal(net.relay.nextTimeout(), null);
  });

  it('a session heard again is kept past its first deadline', () => {
    const net = new V2Net();
    const { client } = establish(net, at(40001), 7);
    const first = net.relay.nextTimeout();
    assert.ok(first !== null);
    net.advance(20_000);
    net.fromClient(at(40001), client.send(net.now, 'still here').out);
    net.advance(100); // the echo is acknowledged
    net.drop = () => true;
    net.relay.tick(first, net.sink);
    assert.equal(net.relay.sessionCount, 1);
    const later = net.relay.nextTimeout();
    assert.ok(later !== null && later > first + 19_000, `now due ${later}, first ${first}`);
  });
});
