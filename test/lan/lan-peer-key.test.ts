/** --group-key: the group's traffic sealed and authenticated; other keys and clear traffic told apart. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { deriveGroupKey, GroupKey } from '../../src/protocol/lan/group-key.ts';
import { HEADER_BYTES, KEY_MISMATCH_REPORT_BURST, REORDER_HOLD_MS } from '../../src/protocol/lan/limits.ts';
import { eventsOf, LAN_ADDRESS, RemoteSender, runUntil, started, texts, types } from './lan-harness.ts';

const GROUP = { host: '239.255.0.1', port: 9999 };
const OTHER_KEY = new GroupKey(new Uint8Array(32).fill(0x43));

describe('with a group key', () => {
  let key: GroupKey;
  before(async () => {
    key = await deriveGroupKey('correct horse battery staple', GROUP);
  });

  it('seals what it sends: the sealed flag is set and neither nick nor text is readable', () => {
    const [alice] = started('alice', 0, { key });
    const out = alice.say(10, 'secret plans');
    const bytes = Buffer.from(out.datagrams[0] ?? new Uint8Array());
    assert.equal(bytes[2], 0x01);
    assert.equal(bytes.includes(Buffer.from('secret')), false);
    assert.equal(bytes.includes(Buffer.from('alice')), false);
  });

  it('lets two peers with the same passphrase talk', () => {
    const [alice, aliceStart] = started('alice', 0, { key });
    const [bob] = started('bob', 0, { key });
    for (const bytes of aliceStart.datagrams) bob.handle(0, LAN_ADDRESS, bytes);
    const events = alice
      .say(10, 'hello')
      .datagrams.flatMap((bytes) => bob.handle(10, LAN_ADDRESS, bytes).events);
    assert.deepEqual(types(events), ['joined', 'line']);
    assert.deepEqual(texts(events), ['hello']);
  });

  it('tells once per sender of traffic under another key, and never shows any of it', () => {
    const [alice] = started('alice', 0, { key });
    const stranger = new RemoteSender(0x5e, { key: OTHER_KEY });
    const first = alice.handle(0, LAN_ADDRESS, stranger.line('can you read me'));
    assert.deepEqual(first.events, [{ type: 'key-mismatch', senderId: stranger.hex, theirs: 'other-key' }]);
    for (let line = 0; line < 5; line++)
      assert.deepEqual(alice.handle(1, LAN_ADDRESS, stranger.line('x')).events, []);
    assert.equal(alice.stats.keyMismatch, 6);
    assert.equal(alice.who(2).length, 1);
  });

  it('tells of traffic in clear when it has a key', () => {
    const [alice] = started('alice', 0, { key });
    const clear = new RemoteSender(0xc1);
    assert.deepEqual(alice.handle(0, LAN_ADDRESS, clear.line('hi')).events, [
      { type: 'key-mismatch', senderId: clear.hex, theirs: 'clear' },
    ]);
  });

  it('without a key, tells of sealed traffic it cannot read', () => {
    const [alice] = started('alice');
    const sealed = new RemoteSender(0x5e, { key });
    assert.deepEqual(alice.handle(0, LAN_ADDRESS, sealed.line('hi')).events, [
      { type: 'key-mismatch', senderId: sealed.hex, theirs: 'sealed' },
    ]);
  });

  it('drops a forgery under a known member id silently: counted, not reported, nothing spent', () => {
    const [alice] = started('alice', 0, { key });
    const bob = new RemoteSender(0xb0, { key });
    alice.handle(0, LAN_ADDRESS, bob.line('0'));
    const forged = Uint8Array.from(bob.line('1'));
    forged[HEADER_BYTES + 2] = (forged[HEADER_BYTES + 2] ?? 0) ^ 0xff;
    for (let copy = 0; copy < 50; copy++) assert.deepEqual(alice.handle(10, LAN_ADDRESS, forged).events, []);
    assert.equal(alice.stats.keyMismatch, 50);
    assert.equal(alice.stats.throttledSender, 0);
    // Line 1 never arrived as bob sent it: line 2 waits for it, then it is reported lost.
    assert.deepEqual(texts(alice.handle(20, LAN_ADDRESS, bob.line('2'))), []);
    assert.deepEqual(types(runUntil(alice, 20 + REORDER_HOLD_MS)), ['gap', 'line']);
  });

  it('caps the reports under a flood of forged sender ids', () => {
    const [alice] = started('alice', 0, { key });
    let reports = 0;
    for (let index = 0; index < 200; index++) {
      const forger = new RemoteSender(0, { key: OTHER_KEY });
      forger.id.set([0x77, index]);
      reports += eventsOf(alice.handle(index, LAN_ADDRESS, forger.line('x')), 'key-mismatch').length;
    }
    assert.equal(reports, KEY_MISMATCH_REPORT_BURST);
    assert.equal(alice.stats.keyMismatch, 200);
  });
});
