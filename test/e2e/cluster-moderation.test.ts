/**
 * Moderation and history across the relays of a cluster, through the public surface: real `udpchat relay
 * --cluster` processes on a real redis-server and seed-style UDP clients. A room's first member in the
 * cluster is its one operator; topics, invite-only, operators, kicks, bans and invitations made on one
 * relay hold on the others; a server operator's `/kill` reaches a client on any relay; `/history` is answered from the cluster the same on every relay. Run `npm run
 * build` first by hand.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RedisServer } from '../cluster/support/redis-server.ts';
import { CLI_ENTRY } from './support/cli-process.ts';
import { clusterRelay } from './support/cluster-relays.ts';
import { seedPeer } from './support/relay-process.ts';
import type { UdpPeer } from './support/udp-peer.ts';

const CROSS_RELAY_MS = 5_000;
const wait = { timeoutMs: CROSS_RELAY_MS };

/** Joins `room` and resolves with its member list line once the join is confirmed. */
async function joinRoom(peer: UdpPeer, room: string): Promise<string> {
  const from = peer.lines.items.length;
  peer.send(`/join ${room}\n`);
  await peer.lines.waitFor((l) => l === `[${room}] *** you joined ${room}; now talking in ${room} ***\n`, {
    ...wait,
    from,
  });
  return peer.lines.waitFor((l) => l.startsWith(`[${room}] *** members: `), { ...wait, from });
}

describe('moderation and history across relays, end to end', { timeout: 120_000 }, () => {
  test('one operator per room in the cluster; topic, +i, /op, /kick, /ban, /unban and /invite hold on every relay', async (t) => {
    const redis = await RedisServer.start(t);
    const a = await clusterRelay(t, redis, 'relay-a');
    const b = await clusterRelay(t, redis, 'relay-b');
    const c = await clusterRelay(t, redis, 'relay-c');
    const olga = await seedPeer(t, a, 'olga');
    // Unregistered nicks are banned by source host: the pest comes from a host of its own.
    const pest = await seedPeer(t, b, 'pest', '127.0.0.2');
    const bea = await seedPeer(t, b, 'bea');
    const cy = await seedPeer(t, c, 'cy');
    await olga.expect('*** cy joined ***\n', wait);

    // The bus's atomic join makes the cluster's first member the operator, just after the join.
    assert.equal(await joinRoom(olga, '#club'), '[#club] *** members: olga ***\n');
    await olga.expect('[#club] *** olga is now an operator ***\n', wait);
    // The cluster's events have one order: once relay b delivers this lobby line, it knows of the join.
    olga.send('/switch #lobby\n');
    await olga.expect('*** now talking in #lobby ***\n');
    olga.send('joined #club\n');
    await bea.expect('<olga> joined #club\n', wait);
    // The room's second member, on another relay, is not made its operator there.
    assert.equal(await joinRoom(bea, '#club'), '[#club] *** members: bea, @olga ***\n');
    bea.send('/topic #club mine now\n');
    await bea.expect('*** you are not an operator of #club ***\n');

    olga.send('/topic #club ops only\n');
    await bea.expect('[#club] *** olga set the topic: ops only ***\n', wait);
    olga.send('/op #club bea\n');
    await bea.expect('[#club] *** olga made bea an operator ***\n', wait);
    bea.send('/topic #club set on relay b\n');
    await olga.expect('[#club] *** bea set the topic: set on relay b ***\n', wait);

    // A kick made on relay b of a member relay c serves, heard once on all three.
    await joinRoom(cy, '#club');
    await bea.expect('[#club] *** cy joined ***\n', wait);
    bea.send('/kick #club cy noisy\n');
    await cy.expect('[#club] *** cy was kicked by bea (noisy) ***\n', wait);
    await olga.expect('[#club] *** cy was kicked by bea (noisy) ***\n', wait);
    await bea.expect('[#club] *** cy was kicked by bea (noisy) ***\n', wait);
    // Relay c no longer has the room; its /rooms lists it from the cluster, with the topic set on relay b.
    cy.send('/rooms\n');
    await cy.expect('*** #club (2 members): set on relay b ***\n', wait);
    olga.send('/who #club\n');
    await olga.expect('[#club] *** #club: 2 members ***\n', wait);

    // A ban made on relay a of a nick relay b serves: relay b lays it (by host) and ejects it.
    await joinRoom(pest, '#club');
    await olga.expect('[#club] *** pest joined ***\n', wait);
    olga.send('/ban #club pest\n');
    await olga.expect('[#club] *** olga banned pest ***\n', wait);
    await pest.expect('[#club] *** pest was kicked by olga (banned) ***\n', wait);
    pest.send('/join #club\n');
    await pest.expect('*** you are banned from #club ***\n', wait);

    // Invite-only made on relay a holds on relay c; an invitation made on relay b lets cy in there.
    olga.send('/mode #club +i\n');
    await bea.expect('[#club] *** olga made #club invite-only (+i) ***\n', wait);
    cy.send('/join #club\n');
    await cy.expect('*** #club is invite-only ***\n', wait);
    bea.send('/invite cy #club\n');
    await bea.expect('[#club] *** you invited cy to #club ***\n', wait);
    await cy.expect('*** bea invites you to #club ***\n', wait);
    await joinRoom(cy, '#club');
    await olga.expect('[#club] *** cy joined ***\n', wait);

    bea.send('/unban #club pest\n');
    await olga.expect('[#club] *** bea unbanned pest ***\n', wait);
    olga.send('/mode #club -i\n');
    await bea.expect('[#club] *** olga opened #club to everyone (-i) ***\n', wait);
    await joinRoom(pest, '#club');
    await olga.expect('[#club] *** pest joined ***\n', wait);
  });

  test('a relay started later takes the cluster’s room state: a ban, a topic and +i set before it started hold there', async (t) => {
    const redis = await RedisServer.start(t);
    const a = await clusterRelay(t, redis, 'relay-a');
    const b = await clusterRelay(t, redis, 'relay-b');
    const olga = await seedPeer(t, a, 'olga');
    const pest = await seedPeer(t, b, 'pest', '127.0.0.2');
    const bea = await seedPeer(t, b, 'bea');
    await olga.expect('*** bea joined ***\n', wait);
    await joinRoom(olga, '#den');
    await olga.expect('[#den] *** olga is now an operator ***\n', wait);
    await joinRoom(pest, '#den');
    await joinRoom(bea, '#den');
    await olga.expect('[#den] *** bea joined ***\n', wait);
    // Relay b lays the ban by pest's host and tells the cluster; olga hears it back through Redis.
    olga.send('/ban #den pest\n');
    await olga.expect('[#den] *** olga banned pest ***\n', wait);
    olga.send('/topic #den kept for later\n');
    await bea.expect('[#den] *** olga set the topic: kept for later ***\n', wait);
    olga.send('/mode #den +i\n');
    await bea.expect('[#den] *** olga made #den invite-only (+i) ***\n', wait);

    const c = await clusterRelay(t, redis, 'relay-c');
    const cy = await seedPeer(t, c, 'cy');
    const pal = await seedPeer(t, c, 'pal', '127.0.0.2');
    await olga.expect('*** pal joined ***\n', wait);
    pal.send('/join #den\n');
    await pal.expect('*** you are banned from #den ***\n', wait);
    cy.send('/join #den\n');
    await cy.expect('*** #den is invite-only ***\n', wait);
    olga.send('/invite cy #den\n');
    await cy.expect('*** olga invites you to #den ***\n', wait);
    await joinRoom(cy, '#den');
    cy.send('/topic #den\n');
    await cy.expect('[#den] *** topic: kept for later ***\n', wait);
    // An invitation does not lift the ban relay c took from the cluster.
    olga.send('/invite pal #den\n');
    await pal.expect('*** olga invites you to #den ***\n', wait);
    pal.send('/join #den\n');
    await pal.expect('*** you are banned from #den ***\n', wait);
  });

  test('two clients entering a new room on two relays at the same moment: one operator, never two', async (t) => {
    const redis = await RedisServer.start(t);
    const a = await clusterRelay(t, redis, 'relay-a');
    const b = await clusterRelay(t, redis, 'relay-b');
    const ann = await seedPeer(t, a, 'ann');
    const ben = await seedPeer(t, b, 'ben');
    await ann.expect('*** ben joined ***\n', wait);
    for (let round = 0; round < 5; round += 1) {
      const room = `#race${round}`;
      const froms = [ann.lines.items.length, ben.lines.items.length];
      ann.send(`/join ${room}\n`);
      ben.send(`/join ${room}\n`);
      // Both are in, and one of them was told it is the operator.
      await Promise.all([
        ann.lines.waitFor((l) => l.startsWith(`[${room}] *** you joined`), { ...wait, from: froms[0] }),
        ben.lines.waitFor((l) => l.startsWith(`[${room}] *** you joined`), { ...wait, from: froms[1] }),
      ]);
      const made = (l: string) => l.startsWith(`[${room}] *** `) && l.endsWith(' is now an operator ***\n');
      await Promise.any([
        ann.lines.waitFor(made, { ...wait, from: froms[0] }),
        ben.lines.waitFor(made, { ...wait, from: froms[1] }),
      ]);
      // Each tries to set the topic: exactly one may.
      const answers = await Promise.all(
        [ann, ben].map(async (peer) => {
          const name = peer === ann ? 'ann' : 'ben';
          const from = peer.lines.items.length;
          peer.send(`/topic ${room} round ${round} by ${name}\n`);
          // Its own answer: the other's topic, which it sees too as a member, is not one.
          return peer.lines.waitFor(
            (l) =>
              l === `*** you are not an operator of ${room} ***\n` ||
              l === `[${room}] *** ${name} set the topic: round ${round} by ${name} ***\n`,
            { ...wait, from },
          );
        }),
      );
      const refused = answers.filter((l) => l.includes('you are not an operator'));
      assert.equal(refused.length, 1, `round ${round}: ${answers.join('')}`);
      const told = [...ann.lines.items.slice(froms[0]), ...ben.lines.items.slice(froms[1])].filter(made);
      assert.equal(new Set(told).size, 1, `round ${round}: one operator (${told.join('')})`);
    }
  });

  test('/history is answered from the cluster, the same on every relay', async (t) => {
    const redis = await RedisServer.start(t);
    const a = await clusterRelay(t, redis, 'relay-a');
    const b = await clusterRelay(t, redis, 'relay-b');
    const c = await clusterRelay(t, redis, 'relay-c');
    const ann = await seedPeer(t, a, 'ann');
    const ben = await seedPeer(t, b, 'ben');
    const cat = await seedPeer(t, c, 'cat');
    await ann.expect('*** cat joined ***\n', wait);
    ann.send('first from a\n');
    await ben.expect('<ann> first from a\n', wait);
    ben.send('second from b\n');
    await cat.expect('<ben> second from b\n', wait);
    cat.send('third from c\n');
    await ann.expect('<cat> third from c\n', wait);
    await ben.expect('<cat> third from c\n', wait);

    const answers: string[][] = [];
    for (const peer of [ann, ben, cat]) {
      const from = peer.lines.items.length;
      peer.send('/history\n');
      await peer.lines.waitFor((l) => l.startsWith('[history #lobby end]'), { ...wait, from });
      // The server times differ by relay clock only in what each line says; the lines are the cluster's.
      answers.push(peer.lines.items.slice(from).filter((l) => l.startsWith('[history ')));
    }
    const [atA, atB, atC] = answers;
    assert.equal(atA?.length, 4, atA?.join(''));
    assert.match(atA?.[0] ?? '', /#1\] <ann> first from a\n$/);
    assert.match(atA?.[1] ?? '', /#2\] <ben> second from b\n$/);
    assert.match(atA?.[2] ?? '', /#3\] <cat> third from c\n$/);
    assert.deepEqual(atB, atA);
    assert.deepEqual(atC, atA);
  });

  test('a server operator’s /kill reaches a client on another relay: told, disconnected, its nick free cluster-wide', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'udpchat-kill-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const accounts = join(dir, 'accounts.json');
    execFileSync(
      process.execPath,
      [CLI_ENTRY, 'account', 'add', 'root', '--accounts', accounts, '--server-operator'],
      {
        input: 'rootsecret\n',
        timeout: 30_000,
      },
    );
    const redis = await RedisServer.start(t);
    const a = await clusterRelay(t, redis, 'relay-a', { extra: ['--accounts', accounts] });
    const b = await clusterRelay(t, redis, 'relay-b', { extra: ['--accounts', accounts] });
    const root = await seedPeer(t, a);
    root.send('/join root rootsecret\n');
    await root.expect('*** welcome, root ***\n', wait);
    const ann = await seedPeer(t, a, 'ann');
    const bo = await seedPeer(t, b, 'bo');
    const vic = await seedPeer(t, b, 'vic');
    await ann.expect('*** vic joined ***\n', wait);
    await root.expect('*** vic joined ***\n', wait);
    const mark = ann.lines.items.length;

    root.send('/kill vic spamming\n');
    const killed = '*** vic was killed (by root: spamming) ***\n';
    await vic.expect('*** you were killed by root (spamming) ***\n', wait);
    await bo.expect(killed, wait);
    await ann.expect(killed, wait);
    await root.expect(killed, wait);
    vic.send('am I still here?\n');

    // The nick is free on every relay: a new client takes it on relay a.
    const boMark = bo.lines.items.length;
    const again = await seedPeer(t, a);
    again.send('/join vic\n');
    await again.expect('*** welcome, vic ***\n', wait);
    await bo.lines.waitFor((l) => l === '*** vic joined ***\n', { ...wait, from: boMark });
    await ann.lines.waitFor((l) => l === '*** vic joined ***\n', { ...wait, from: mark });
    const seen = ann.lines.items.slice(mark).filter((l) => l.includes('vic'));
    assert.deepEqual(
      seen,
      [killed, '*** vic joined ***\n'],
      'the kill once, no quit after it, and the new vic joining',
    );
    assert.ok(!bo.lines.items.some((l) => l.includes('am I still here?')), 'the killed client is not heard');
  });
});
