/**
 * What the bus gives client failover, on every back end: one shared key per cluster, the same on every
 * relay, and a nick takeover for a proven resumption that the old holder hears as `nick-lost`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterError } from '../../src/cluster/bus-error.ts';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { SHARED_KEY_BYTES } from '../../src/relay/cluster-bus.ts';
import { type MakeFixture, started } from './support/fixture.ts';

export function failoverContract(make: MakeFixture): void {
  describe('failover support', () => {
    it('gives every relay the same 32-byte shared key, made once, even when they ask at once', async (t) => {
      const fixture = await make(t);
      const [a, b] = await Promise.all([started(t, fixture, 'a'), started(t, fixture, 'b')]);
      const [fromA, fromB] = await Promise.all([a.bus.sharedKey(), b.bus.sharedKey()]);
      assert.equal(fromA.length, SHARED_KEY_BYTES);
      assert.deepEqual(fromA, fromB);
      assert.ok(
        fromA.some((byte) => byte !== 0),
        'the key is not all zeros',
      );
      const c = await started(t, fixture, 'c');
      assert.deepEqual(await c.bus.sharedKey(), fromA, 'a relay that joins later reads the same key');
      const other = await make(t);
      const elsewhere = await started(t, other, 'a');
      assert.notDeepEqual(await elsewhere.bus.sharedKey(), fromA, 'another cluster has another key');
    });

    it('refuses the shared key to a relay that never read it while the back end is away', async (t) => {
      const fixture = await make(t);
      const a = await started(t, fixture, 'a');
      const before = await a.bus.sharedKey();
      await fixture.cut();
      await a.heard.until(() => a.bus.status().state === 'degraded', 'a is degraded');
      const b = fixture.bus('b');
      t.after(() => b.close());
      await assert.rejects(
        b.sharedKey(),
        (e: unknown) => e instanceof ClusterError && e.code === 'unavailable',
      );
      assert.deepEqual(await a.bus.sharedKey(), before, 'a relay that read the key keeps it while away');
      await fixture.restore();
      await a.heard.until(() => a.bus.status().state === 'connected', 'a is connected again');
      assert.deepEqual(await a.bus.sharedKey(), before);
    });

    it('takes a nick over from a live relay, which hears nick-lost; a plain claim still loses', async (t) => {
      const fixture = await make(t);
      const a = await started(t, fixture, 'a');
      const b = await started(t, fixture, 'b');
      const key = lookalikeKey('alice');
      assert.deepEqual(await a.bus.claimNick(key, 'alice'), { ok: true, provisional: false });
      assert.deepEqual(await b.bus.claimNick(key, 'alice'), { ok: false, owner: 'a' });
      assert.deepEqual(await b.bus.claimNick(key, 'alice', { takeover: true }), {
        ok: true,
        provisional: false,
      });
      await a.heard.until(() => a.heard.of('nick-lost').length === 1, 'a hears nick-lost');
      assert.deepEqual(a.heard.of('nick-lost'), [
        { type: 'nick-lost', nickKey: key, nick: 'alice', owner: 'b' },
      ]);
      await b.heard.until(() => b.heard.of('nick-taken').length === 1, 'b hears its takeover');
      assert.equal(b.heard.of('nick-lost').length, 0, 'the new holder loses nothing');
      assert.deepEqual(await a.bus.claimNick(key, 'alice'), { ok: false, owner: 'b' });
      // The old holder no longer claims it again after a lapse, and its release does not free b's nick.
      await a.bus.releaseNick(key);
      assert.deepEqual(await a.bus.claimNick(lookalikeKey('ALICE'), 'ALICE'), { ok: false, owner: 'b' });
    });

    it('takes over a free nick quietly: nobody hears nick-taken', async (t) => {
      const fixture = await make(t);
      const a = await started(t, fixture, 'a');
      const b = await started(t, fixture, 'b');
      assert.equal((await b.bus.claimNick(lookalikeKey('bob'), 'bob', { takeover: true })).ok, true);
      await b.bus.publishLine({
        roomKey: lookalikeKey('#x'),
        roomName: '#x',
        at: 1,
        kind: 'say',
        nick: 'bob',
        text: 'after',
      });
      await a.heard.until(() => a.heard.of('line').length === 1, 'a hears the line after the claim');
      assert.equal(a.heard.of('nick-taken').length, 0);
      assert.equal(a.heard.of('nick-lost').length, 0);
    });
  });
}
