/**
 * The cluster bus contract, one suite for every back end: `busContract(make)` registers the same tests
 * for buses on a cluster made by `make`. Several buses on one cluster stand for several relays.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ClusterError } from '../../src/cluster/bus-error.ts';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import type { ClusterBus } from '../../src/relay/cluster-bus.ts';
import type { RoomLineInput } from '../../src/relay/store.ts';
import { failoverContract } from './failover-contract.ts';
import { type MakeFixture, started } from './support/fixture.ts';

function line(room: string, text: string, nick = 'alice'): RoomLineInput {
  return { roomKey: lookalikeKey(room), roomName: room, at: 1_800_000_000_000, kind: 'say', nick, text };
}

function claim(bus: ClusterBus, nick: string) {
  return bus.claimNick(lookalikeKey(nick), nick);
}

/** Two relays' started buses on a fresh cluster. */
async function twoRelays(t: TestContext, make: MakeFixture) {
  const fixture = await make(t);
  return { fixture, a: await started(t, fixture, 'a'), b: await started(t, fixture, 'b') };
}

function join(bus: ClusterBus, roomKey: string, nick: string): Promise<void> {
  return bus.joinRoom(roomKey, { nickKey: lookalikeKey(nick), nick }, 'join');
}

export function busContract(make: MakeFixture): void {
  describe('room lines', () => {
    it('numbers each room 1, 2, 3 across relays and every relay hears the same order, its own lines included', async (t) => {
      const { a, b } = await twoRelays(t, make);
      const sent = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).bus.publishLine(line('#r', `line ${i}`))),
      );
      const other = await a.bus.publishLine(line('#other', 'elsewhere'));
      assert.deepEqual(
        sent.map((p) => p.id).sort((x, y) => x - y),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      assert.equal(other.id, 1);
      const heard = (who: typeof a) =>
        who.heard
          .of('line')
          .filter((e) => e.line.roomKey === lookalikeKey('#r'))
          .map((e) => `${e.line.id} ${e.line.text} ${e.node}`);
      await a.heard.until(() => heard(a).length === 40, 'a hears 40 lines');
      await b.heard.until(() => heard(b).length === 40, 'b hears 40 lines');
      assert.deepEqual(heard(a), heard(b));
      assert.deepEqual(
        heard(a).map((text) => Number(text.split(' ')[0])),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
    });

    it('answers history by the cluster ids: last, before and after, with more', async (t) => {
      const { a, b } = await twoRelays(t, make);
      for (let i = 1; i <= 12; i++) await (i % 3 === 0 ? b : a).bus.publishLine(line('#h', `h${i}`));
      const key = lookalikeKey('#h');
      const last = await b.bus.roomHistory(key, { type: 'last', limit: 5 });
      assert.deepEqual(
        last.lines.map((l) => l.id),
        [8, 9, 10, 11, 12],
      );
      assert.equal(last.more, true);
      assert.equal(last.lines[0]?.text, 'h8');
      const before = await a.bus.roomHistory(key, { type: 'before', id: 4, limit: 10 });
      assert.deepEqual(
        before.lines.map((l) => l.id),
        [1, 2, 3],
      );
      assert.equal(before.more, false);
      const after = await a.bus.roomHistory(key, { type: 'after', id: 9, limit: 2 });
      assert.deepEqual(
        after.lines.map((l) => l.text),
        ['h10', 'h11'],
      );
      assert.equal(after.more, true);
      assert.deepEqual(
        (await a.bus.roomHistory(lookalikeKey('#none'), { type: 'last', limit: 5 })).lines,
        [],
      );
    });
  });

  describe('nicks', () => {
    it('gives one winner when two relays claim the same nick at once, and refuses its look-alikes', async (t) => {
      const { a, b } = await twoRelays(t, make);
      for (const nick of ['alice', 'bob', 'carol', 'dave', 'erin']) {
        const [fromA, fromB] = await Promise.all([claim(a.bus, nick), claim(b.bus, nick)]);
        const winners = [fromA, fromB].filter((c) => c.ok);
        assert.equal(winners.length, 1, `${nick}: ${JSON.stringify([fromA, fromB])}`);
        const loser = fromA.ok ? fromB : fromA;
        assert.deepEqual(loser, { ok: false, owner: fromA.ok ? 'a' : 'b' });
        const holder = fromA.ok ? a : b;
        const other = fromA.ok ? b : a;
        assert.deepEqual(await claim(holder.bus, nick), { ok: true, provisional: false });
        assert.equal((await claim(other.bus, nick.toUpperCase())).ok, false);
      }
      const aliceOnA = (await claim(a.bus, 'alice')).ok;
      assert.deepEqual(await claim(aliceOnA ? b.bus : a.bus, 'ａlice'), {
        ok: false,
        owner: aliceOnA ? 'a' : 'b',
      });
      assert.deepEqual(await claim(aliceOnA ? b.bus : a.bus, 'al\u200bice'), {
        ok: false,
        owner: aliceOnA ? 'a' : 'b',
      });
    });

    it('frees a released nick at once, and a cleanly closed relay’s nicks', async (t) => {
      const { a, b } = await twoRelays(t, make);
      assert.equal((await claim(a.bus, 'alice')).ok, true);
      assert.equal((await claim(a.bus, 'bob')).ok, true);
      assert.equal((await claim(b.bus, 'alice')).ok, false);
      await a.bus.releaseNick(lookalikeKey('alice'));
      assert.deepEqual(await claim(b.bus, 'alice'), { ok: true, provisional: false });
      await a.bus.close();
      assert.deepEqual(await claim(b.bus, 'bob'), { ok: true, provisional: false });
    });

    it('refuses a second relay with a live relay’s node id, and a relay of another bus version', async (t) => {
      const fixture = await make(t);
      await started(t, fixture, 'a');
      await assert.rejects(
        started(t, fixture, 'a'),
        (e: unknown) => e instanceof ClusterError && e.code === 'node-id-in-use',
      );
      await assert.rejects(
        started(t, fixture, 'b', { version: 999 }),
        (e: unknown) => e instanceof ClusterError && e.code === 'version-mismatch' && /999/.test(e.message),
      );
    });
  });

  describe('presence and private lines', () => {
    it('lists members of a room on every relay and tells every relay of joins and leaves', async (t) => {
      const { a, b } = await twoRelays(t, make);
      const room = lookalikeKey('#r');
      await claim(a.bus, 'alice');
      await claim(b.bus, 'bob');
      await join(a.bus, room, 'alice');
      await join(b.bus, room, 'bob');
      const members = (await a.bus.members(room)).map((m) => `${m.nick}@${m.node}`).sort();
      assert.deepEqual(members, ['alice@a', 'bob@b']);
      await b.bus.leaveRoom(room, lookalikeKey('bob'), 'part');
      const presence = () =>
        a.heard.of('presence').map((e) => `${e.member.nick} ${e.joined ? 'joined' : 'left'} ${e.reason}`);
      await a.heard.until(() => presence().length === 3, 'three presence events');
      assert.deepEqual(presence(), ['alice joined join', 'bob joined join', 'bob left part']);
      assert.deepEqual(
        (await b.bus.members(room)).map((m) => m.nick),
        ['alice'],
      );
    });

    it('takes a released nick out of its rooms, telling every relay', async (t) => {
      const { a, b } = await twoRelays(t, make);
      const [x, y] = [lookalikeKey('#x'), lookalikeKey('#y')];
      await claim(a.bus, 'alice');
      await claim(a.bus, 'al');
      for (const room of [x, y]) await join(a.bus, room, 'alice');
      await join(a.bus, x, 'al');
      await a.bus.releaseNick(lookalikeKey('alice'));
      assert.deepEqual(
        (await b.bus.members(x)).map((m) => m.nick),
        ['al'],
      );
      assert.deepEqual(await b.bus.members(y), []);
      const quits = () => b.heard.of('presence').filter((e) => !e.joined);
      await b.heard.until(() => quits().length === 2, 'b hears alice quit both rooms');
      assert.deepEqual(
        quits()
          .map((e) => `${e.roomKey} ${e.member.nick} ${e.reason}`)
          .sort(),
        [`${x} alice quit`, `${y} alice quit`].sort(),
      );
    });

    it('does not list a nick the relay never claimed', async (t) => {
      const fixture = await make(t);
      const a = await started(t, fixture, 'a');
      await join(a.bus, lookalikeKey('#r'), 'ghost');
      assert.deepEqual(await a.bus.members(lookalikeKey('#r')), []);
    });

    it('routes a private line to the relay that holds the nick, and only there', async (t) => {
      const { fixture, a, b } = await twoRelays(t, make);
      const c = await started(t, fixture, 'c');
      await claim(a.bus, 'alice');
      await claim(b.bus, 'bob');
      const dm = {
        fromKey: lookalikeKey('alice'),
        fromNick: 'alice',
        toKey: lookalikeKey('bob'),
        toNick: 'bob',
        at: 1_800_000_000_000,
        kind: 'say' as const,
        text: 'psst',
      };
      assert.deepEqual(await a.bus.sendDirect(dm), { ok: true, node: 'b' });
      assert.deepEqual(await a.bus.sendDirect({ ...dm, toKey: lookalikeKey('nobody'), toNick: 'nobody' }), {
        ok: false,
      });
      await b.heard.until(() => b.heard.of('direct').length === 1, 'b hears the private line');
      assert.deepEqual(b.heard.of('direct')[0], { type: 'direct', node: 'a', line: dm });
      await c.bus.publishLine(line('#sync', 'after the private line'));
      await a.heard.until(() => a.heard.of('line').length === 1, 'a hears the later line');
      await c.heard.until(() => c.heard.of('line').length === 1, 'c hears the later line');
      assert.equal(a.heard.of('direct').length + c.heard.of('direct').length, 0);
    });
  });

  describe('room state', () => {
    it('tells every relay of each change, in the order made', async (t) => {
      const { a, b } = await twoRelays(t, make);
      const room = lookalikeKey('#r');
      const changes = [
        { type: 'topic', topic: 'ünïcode & "quotes" / slashes' },
        { type: 'invite-only', on: false },
        { type: 'operator', nickKey: 'bob', nick: 'Bob', on: true },
        { type: 'ban', mask: '*!*@10.0.0.*', on: true },
        { type: 'invite', nickKey: 'carol', nick: 'Carol' },
        { type: 'kick', nickKey: 'dave', nick: 'Dave', reason: '' },
        { type: 'kill', nickKey: 'eve', nick: 'Eve', reason: 'spam' },
        { type: 'rename', nickKey: 'frank', nick: 'Frank', newKey: 'fred', newNick: 'Fred' },
      ] as const;
      for (const change of changes) await a.bus.announceRoom(room, 'alice', change);
      await b.heard.until(() => b.heard.of('room').length === changes.length, 'b hears every change');
      assert.deepEqual(
        b.heard.of('room'),
        changes.map((change) => ({ type: 'room', node: 'a', roomKey: room, by: 'alice', change })),
      );
    });

    it('keeps each room state as the events built it, for a relay that asks later; a leaving member takes its operator status', async (t) => {
      const { fixture, a } = await twoRelays(t, make);
      const room = lookalikeKey('#kept');
      const ban = JSON.stringify({ account: null, host: '10.0.0.9', nickKey: 'mallory', nick: 'Mallory' });
      const request = JSON.stringify({ account: null, host: null, nickKey: 'eve', nick: 'Eve' });
      await claim(a.bus, 'Bob');
      await join(a.bus, room, 'Bob');
      await a.bus.announceRoom(room, 'alice', { type: 'topic', topic: 'kept' });
      await a.bus.announceRoom(room, 'alice', { type: 'invite-only', on: true });
      await a.bus.announceRoom(room, 'alice', { type: 'invite', nickKey: 'mallory', nick: 'Mallory' });
      await a.bus.announceRoom(room, 'alice', { type: 'invite', nickKey: 'carol', nick: 'Carol' });
      await a.bus.announceRoom(room, 'alice', { type: 'ban', mask: ban, on: true });
      await a.bus.announceRoom(room, 'alice', { type: 'ban', mask: ban, on: true });
      await a.bus.announceRoom(room, 'alice', { type: 'ban', mask: request, on: true });
      await a.bus.announceRoom(room, 'alice', { type: 'operator', nickKey: 'bob', nick: 'Bob', on: true });
      await a.bus.announceRoom(lookalikeKey('#plain'), 'alice', { type: 'topic', topic: '' });
      // A kill or a rename is told on the lobby's key, not room state: nothing is kept for it.
      await a.bus.announceRoom(lookalikeKey('#lobby'), 'root', {
        type: 'kill',
        nickKey: 'eve',
        nick: 'Eve',
        reason: '',
      });
      await a.bus.announceRoom(lookalikeKey('#lobby'), 'Bob', {
        type: 'rename',
        nickKey: 'bob',
        nick: 'Bob',
        newKey: 'rob',
        newNick: 'Rob',
      });
      const c = await started(t, fixture, 'c');
      assert.deepEqual(await c.bus.roomStates(), [
        {
          roomKey: room,
          topic: 'kept',
          inviteOnly: true,
          operators: [{ nickKey: 'bob', nick: 'Bob' }],
          bans: [ban],
          invited: ['carol'],
        },
      ]);
      await a.bus.leaveRoom(room, 'bob', 'part');
      await a.bus.announceRoom(room, 'alice', { type: 'ban', mask: ban, on: false });
      const [after] = await c.bus.roomStates();
      assert.deepEqual(after?.operators, []);
      assert.deepEqual(after?.bans, []);
      assert.equal(after?.topic, 'kept');
    });

    it('tells a relay that starts every room state at one point of the stream, then each later room event once', async (t) => {
      const { fixture, a } = await twoRelays(t, make);
      const room = lookalikeKey('#moving');
      const topic = (i: number) => ({ type: 'topic', topic: `t${i}` }) as const;
      await a.bus.announceRoom(room, 'alice', topic(0));
      // The topic keeps changing while relay c says hello: its state and its events must meet exactly.
      const writes = (async () => {
        for (let i = 1; i <= 60; i += 1) await a.bus.announceRoom(room, 'alice', topic(i));
      })();
      const c = await started(t, fixture, 'c');
      await writes;
      const topics = () =>
        c.heard
          .of('room')
          .filter((e) => e.roomKey === room)
          .map((e) => (e.change.type === 'topic' ? e.change.topic : '?'));
      const states = c.heard.of('room-states');
      assert.equal(states.length, 1, 'the state is heard once on start');
      assert.equal(c.heard.events[0]?.type, 'room-states', 'before any other event');
      const seeded = states[0]?.rooms.find((r) => r.roomKey === room)?.topic ?? '';
      assert.match(seeded, /^t\d+$/);
      const from = Number(seeded.slice(1));
      await c.heard.until(() => from === 60 || topics().at(-1) === 't60', 'c hears the last topic');
      assert.deepEqual(
        topics(),
        Array.from({ length: 60 - from }, (_, i) => `t${from + 1 + i}`),
        'every topic after the state once, none it holds',
      );
    });

    it('tells the rooms state again when the back end returns', async (t) => {
      const { fixture, a, b } = await twoRelays(t, make);
      const room = lookalikeKey('#back');
      await a.bus.announceRoom(room, 'alice', { type: 'topic', topic: 'before the outage' });
      await b.heard.until(() => b.heard.of('room').length === 1, 'b hears the topic');
      await fixture.cut();
      await b.heard.untilState('degraded');
      await fixture.restore();
      await b.heard.until(() => b.heard.of('room-states').length === 2, 'b hears the state again');
      const [, again] = b.heard.of('room-states');
      assert.deepEqual(
        again?.rooms.map((r) => [r.roomKey, r.topic]),
        [[room, 'before the outage']],
      );
    });

    it('makes one first operator of two members entering an empty room on two relays at once', async (t) => {
      const { a, b } = await twoRelays(t, make);
      for (let round = 0; round < 5; round += 1) {
        const room = lookalikeKey(`#race${round}`);
        await Promise.all([claim(a.bus, `ann${round}`), claim(b.bus, `ben${round}`)]);
        await Promise.all([
          a.bus.joinRoom(room, { nickKey: lookalikeKey(`ann${round}`), nick: `ann${round}` }, 'join', {
            firstOperator: true,
          }),
          b.bus.joinRoom(room, { nickKey: lookalikeKey(`ben${round}`), nick: `ben${round}` }, 'join', {
            firstOperator: true,
          }),
        ]);
        const granted = () => b.heard.of('room').filter((e) => e.roomKey === room);
        await b.heard.until(
          () => b.heard.of('presence').filter((e) => e.roomKey === room).length === 2 && granted().length > 0,
          'both joins and the operator',
        );
        assert.equal(granted().length, 1, `round ${round}: one operator`);
        const winner = granted()[0];
        assert.equal(winner?.change.type, 'operator');
        const [state] = (await a.bus.roomStates()).filter((s) => s.roomKey === room);
        assert.equal(state?.operators.length, 1);
        assert.equal(state?.operators[0]?.nick, winner?.by);
      }
    });
  });

  describe('a relay that dies', () => {
    it('has its nicks and members released after its TTL, with one node-gone event', async (t) => {
      const { fixture, a, b } = await twoRelays(t, make);
      const room = lookalikeKey('#r');
      await claim(a.bus, 'alice');
      await join(a.bus, room, 'alice');
      assert.deepEqual(await claim(b.bus, 'alice'), { ok: false, owner: 'a' });
      await fixture.kill(a.bus);
      await b.heard.until(() => b.heard.of('node-gone').length === 1, 'b hears that a is gone');
      const gone = b.heard.of('node-gone')[0];
      assert.deepEqual(gone?.nicks, [lookalikeKey('alice')]);
      assert.deepEqual(
        gone?.left.map((l) => `${l.roomKey} ${l.member.nick}`),
        [`${room} alice`],
      );
      assert.deepEqual(await b.bus.members(room), []);
      assert.deepEqual(
        (await b.bus.nodes()).map((n) => n.id),
        ['b'],
      );
      assert.deepEqual(await claim(b.bus, 'alice'), { ok: true, provisional: false });
    });
  });

  describe('the back end away', () => {
    it('keeps serving while cut off, then applies everything once, in order, and every relay hears it once', async (t) => {
      const fixture = await make(t);
      const a = await started(t, fixture, 'a', { ttlMs: 3_000 });
      const b = await started(t, fixture, 'b', { ttlMs: 3_000 });
      const room = '#busy';
      const before = [];
      for (let i = 0; i < 30; i++) before.push(await a.bus.publishLine(line(room, `${i}`)));
      const during: Promise<{ id: number }>[] = [];
      for (let i = 30; i < 60; i++) during.push(a.bus.publishLine(line(room, `${i}`)));
      await fixture.cut();
      await a.heard.untilState('degraded');
      for (let i = 60; i < 90; i++) during.push(a.bus.publishLine(line(room, `${i}`)));
      assert.deepEqual(await claim(a.bus, 'carol'), { ok: true, provisional: true });
      assert.equal(a.bus.status().state, 'degraded');
      assert.ok(a.bus.status().pending >= 30);
      await assert.rejects(
        a.bus.members(lookalikeKey(room)),
        (e: unknown) => e instanceof ClusterError && e.code === 'unavailable',
      );
      await fixture.restore();
      const ids = [...before, ...(await Promise.all(during))].map((p) => p.id);
      assert.deepEqual(
        ids,
        Array.from({ length: 90 }, (_, i) => i + 1),
      );
      const texts = (who: typeof a) => who.heard.of('line').map((e) => `${e.line.id}:${e.line.text}`);
      await b.heard.until(() => texts(b).length >= 90, 'b hears all 90 lines');
      await a.heard.until(() => texts(a).length >= 90, 'a hears all 90 lines');
      const expected = Array.from({ length: 90 }, (_, i) => `${i + 1}:${i}`);
      assert.deepEqual(texts(b), expected);
      assert.deepEqual(texts(a), expected);
      assert.equal(a.bus.status().state, 'connected');
      assert.equal((await claim(b.bus, 'carol')).ok, false);
      const history = await b.bus.roomHistory(lookalikeKey(room), { type: 'after', id: 0, limit: 200 });
      assert.deepEqual(
        history.lines.map((l) => `${l.id}:${l.text}`),
        expected,
      );
    });

    it('with two relays publishing through the outage, keeps each relay’s order and one order for all', async (t) => {
      const fixture = await make(t);
      const a = await started(t, fixture, 'a', { ttlMs: 3_000 });
      const b = await started(t, fixture, 'b', { ttlMs: 3_000 });
      const room = '#both';
      const sent: Promise<{ id: number }>[] = [];
      const texts: string[] = [];
      const publish = (who: typeof a, text: string): void => {
        texts.push(text);
        sent.push(who.bus.publishLine(line(room, text, who.bus.nodeId)));
      };
      for (let i = 0; i < 20; i++) publish(i % 2 === 0 ? a : b, `x${i}`);
      await fixture.cut();
      await a.heard.untilState('degraded');
      await b.heard.untilState('degraded');
      for (let i = 20; i < 40; i++) publish(i % 2 === 0 ? a : b, `x${i}`);
      await fixture.restore();
      const ids = (await Promise.all(sent)).map((p) => p.id);
      assert.deepEqual(
        [...ids].sort((x, y) => x - y),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      for (const parity of [0, 1]) {
        const own = ids.filter((_, i) => i % 2 === parity);
        assert.deepEqual(
          own,
          [...own].sort((x, y) => x - y),
          'a relay’s own lines keep their order',
        );
      }
      const heard = (who: typeof a) => who.heard.of('line').map((e) => `${e.line.id}:${e.line.text}`);
      await a.heard.until(() => heard(a).length >= 40, 'a hears 40 lines');
      await b.heard.until(() => heard(b).length >= 40, 'b hears 40 lines');
      const byId = texts.map((text, i) => ({ id: ids[i] ?? 0, text })).sort((x, y) => x.id - y.id);
      const expected = byId.map((entry) => `${entry.id}:${entry.text}`);
      assert.deepEqual(heard(a), expected);
      assert.deepEqual(heard(b), expected);
    });

    it('reports a provisional claim that lost to a claim made elsewhere meanwhile', async (t) => {
      const fixture = await make(t);
      const a = await started(t, fixture, 'a', { ttlMs: 3_000 });
      const b = await started(t, fixture, 'b', { ttlMs: 3_000 });
      await fixture.cut();
      await a.heard.untilState('degraded');
      await b.heard.untilState('degraded');
      assert.deepEqual(await claim(a.bus, 'dave'), { ok: true, provisional: true });
      assert.deepEqual(await claim(b.bus, 'dave'), { ok: true, provisional: true });
      await fixture.restore();
      const lost = () => [...a.heard.of('nick-lost'), ...b.heard.of('nick-lost')];
      await a.heard.untilState('connected');
      await b.heard.untilState('connected');
      // Either relay may have lost: wait on both, each woken by its own events.
      await Promise.any([
        a.heard.until(() => lost().length === 1, 'a hears its claim lost'),
        b.heard.until(() => lost().length === 1, 'b hears its claim lost'),
      ]);
      const [event] = lost();
      assert.equal(event?.nickKey, lookalikeKey('dave'));
      const winner = event?.owner === 'a' ? a : b;
      assert.deepEqual(await claim(winner.bus, 'dave'), { ok: true, provisional: false });
    });
  });

  failoverContract(make);
}
