/**
 * The bench's judge of a move (bench/failover/failover-client.ts) against a real cluster: redis-server and
 * two relays started by FailoverCluster, one SIGKILLed. It settles which lines are judged by their
 * acknowledgement and which by what the others were shown, so the bench can neither take one relay's
 * acknowledgement for another line nor wait for one that cannot come.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FailoverClient } from '../../src/bench/failover/failover-client.ts';
import { FailoverCluster } from '../../src/bench/failover/failover-cluster.ts';
import { StateSignal } from '../../src/bench/failover/state-signal.ts';
import { HELD_ID_BASE } from '../../src/client/failover.ts';
import { ChatClient } from '../../src/client-host/chat-client.ts';

const JOIN_TIMEOUT_MS = 15_000;
const MOVE_TIMEOUT_MS = 20_000;
/** More lines held while moving than a resumed client says at once (RESEND_BURST), so some wait. */
const HELD_WHILE_MOVING = 8;

describe('FailoverClient: lines across a move', () => {
  test('ids never repeat across the move; held and re-said lines are judged by delivery, and every line is shown once', async (t) => {
    const cluster = new FailoverCluster();
    t.after(() => cluster.stop());
    await cluster.start(2);
    const [victim, survivor] = cluster.members;
    assert.ok(victim !== undefined && survivor !== undefined);
    const signal = new StateSignal();
    const heard = new Map<string, number>();
    const observer = await ChatClient.connect({
      nick: 'watcher',
      host: survivor.relay.host,
      port: survivor.relay.port,
      protocol: 'v2',
    });
    t.after(() => observer.close());
    observer.on('welcome', () => signal.poke());
    observer.on('chat', (e) => {
      heard.set(e.text, (heard.get(e.text) ?? 0) + 1);
      signal.poke();
    });
    const talker = await FailoverClient.connect('talker', 'active', victim.relay, [survivor.relay], signal);
    t.after(() => talker.stop());
    assert.ok(await signal.until(() => talker.joined && observer.state === 'joined', JOIN_TIMEOUT_MS));

    talker.sayNext();
    talker.sayNext();
    assert.ok(
      await signal.until(() => talker.acknowledged().length === 2 && talker.ticketAsked, JOIN_TIMEOUT_MS),
      'lines and /ticket acknowledged before the kill',
    );
    let moving = 0;
    talker.client.on('moving', () => {
      if (moving++ === 0) for (let i = 0; i < HELD_WHILE_MOVING; i++) talker.sayNext();
    });
    // Said as the move completes, behind the carried-over lines still being paced out.
    let moved = 0;
    talker.client.on('moved', () => {
      if (moved++ === 0) talker.sayNext();
    });
    cluster.kill(victim);
    talker.sayNext(); // to the relay just killed: sent under an id, never acknowledged
    await cluster.remove(victim);
    assert.ok(
      await signal.until(() => talker.settled, MOVE_TIMEOUT_MS),
      `moved (began ${talker.moveBegan}, state ${talker.client.state}, refusal ${talker.refusal}, ` +
        `notices ${JSON.stringify(talker.noticesWhileMoving)})`,
    );
    assert.equal(talker.move?.resumed, true);

    const [toDead] = talker.said.slice(2, 3);
    assert.ok(toDead !== undefined && toDead.id !== undefined && !toDead.afterMove);
    const held = talker.said.slice(3, 3 + HELD_WHILE_MOVING);
    assert.ok(
      held.every((s) => s.id !== undefined && s.id >= HELD_ID_BASE && !s.afterMove),
      `held while moving: numbered from HELD_ID_BASE (${JSON.stringify(held)})`,
    );
    const [queued] = talker.said.slice(3 + HELD_WHILE_MOVING);
    // Said after the move but queued behind the carried-over lines: numbered as the held ones.
    assert.ok(queued?.afterMove && queued.id !== undefined && queued.id >= HELD_ID_BASE);

    const all = (): string[] => talker.said.map((s) => s.text);
    const shown = (): Promise<boolean> =>
      signal.until(() => talker.newRelayCaughtUp() && all().every((text) => heard.has(text)), 15_000);
    assert.ok(
      await shown(),
      `every carried-over line shown: ${all().filter((text) => !heard.has(text))} missing`,
    );
    // Nothing is queued any more: these go straight to the new relay, under ids it acknowledges.
    talker.sayNext();
    talker.sayNext();
    assert.ok(await shown(), `every line shown: ${all().filter((text) => !heard.has(text))} missing`);
    const ids = talker.said.flatMap((s) => (s.id === undefined ? [] : [s.id]));
    assert.equal(new Set(ids).size, ids.length, 'no id given twice, before or after the move');
    const direct = talker.said.slice(-2);
    assert.ok(direct.every((s) => s.afterMove && s.id !== undefined && talker.acked.has(s.id)));
    const before = talker.said.slice(0, 3).map((s) => s.id as number);
    assert.ok(
      direct.every((s) => !before.includes(s.id as number)),
      'new ids are not the old relay ids',
    );

    assert.deepEqual(talker.acknowledged(), [
      ...talker.said.slice(0, 2).map((s) => s.text),
      ...direct.map((s) => s.text),
    ]);
    assert.deepEqual(talker.carriedOver(), [toDead.text, ...held.map((s) => s.text), queued.text]);
    for (const text of all()) assert.equal(heard.get(text), 1, `${text} shown once`);
    // The new relay acknowledged every carried-over line under the id say() gave it.
    const carried = [toDead, ...held, queued];
    assert.ok(
      await signal.until(() => carried.every((s) => s.id !== undefined && talker.acked.has(s.id)), 10_000),
      'the carried-over lines acknowledged under their ids',
    );
  });
});
