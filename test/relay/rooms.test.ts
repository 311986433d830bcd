import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, BOB, CAROL, Harness, lines, to, trio } from '../support/relay-harness.ts';

describe('rooms', () => {
  it('/join #room tells the members, confirms to the joiner and sends it the member list', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    const out = h.send(BOB, '/join #rust\n');
    assert.deepEqual(lines(out), [
      '40001 <- [#rust] *** bob joined ***\\n',
      '40002 <- [#rust] *** you joined #rust; now talking in #rust ***\\n',
      '40002 <- [#rust] *** members: @alice, bob ***\\n',
    ]);
  });

  it('plain lines go to the current room only, with the room prefix; lobby lines keep the seed format', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    h.send(BOB, '/join #rust\n');
    assert.deepEqual(lines(h.send(ALICE, 'borrow checker\n')), [
      '40002 <- [#rust] <alice> borrow checker\\n',
    ]);
    assert.deepEqual(lines(h.send(CAROL, 'hello lobby\n')), [
      '40001 <- <carol> hello lobby\\n',
      '40002 <- <carol> hello lobby\\n',
    ]);
  });

  it('/switch changes the current room and the relay confirms', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    assert.deepEqual(lines(h.send(ALICE, '/switch #lobby\n')), ['40001 <- *** now talking in #lobby ***\\n']);
    assert.deepEqual(to(h.send(ALICE, 'back\n'), CAROL), ['<alice> back\n']);
  });

  it('/switch to a room you are not in is refused', () => {
    const h = trio();
    h.send(BOB, '/join #go\n');
    assert.deepEqual(lines(h.send(ALICE, '/switch #go\n')), ['40001 <- *** you are not in #go ***\\n']);
    assert.deepEqual(lines(h.send(ALICE, '/switch #nowhere\n')), [
      '40001 <- *** no such room: #nowhere ***\\n',
    ]);
  });

  it('joining a room you are in just makes it current', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    h.send(ALICE, '/switch #lobby\n');
    assert.deepEqual(lines(h.send(ALICE, '/join #RUST\n')), [
      '40001 <- [#rust] *** now talking in #rust ***\\n',
    ]);
  });

  it('/part tells the room, moves the current room and the room disappears with its last member', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    h.send(BOB, '/join #rust\n');
    assert.deepEqual(lines(h.send(BOB, '/part #rust see you\n')), [
      '40001 <- [#rust] *** bob left (see you) ***\\n',
      '40002 <- *** you left #rust; now talking in #lobby ***\\n',
    ]);
    h.send(ALICE, '/part\n');
    assert.deepEqual(lines(h.send(CAROL, '/rooms\n')), [
      '40003 <- *** #lobby (3 members) ***\\n',
      '40003 <- *** end of room list (1) ***\\n',
    ]);
  });

  it('you cannot part your only room', () => {
    const h = trio();
    assert.deepEqual(lines(h.send(ALICE, '/part #lobby\n')), [
      '40001 <- *** you cannot leave your only room (use /leave to quit) ***\\n',
    ]);
  });

  it('a client that parts the lobby no longer sees lobby lines', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    h.send(ALICE, '/part #lobby\n');
    assert.deepEqual(to(h.send(CAROL, 'anyone?\n'), ALICE), []);
  });

  it('look-alike room names are the same room', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    const out = h.send(BOB, '/join #ｒｕｓｔ\n');
    assert.deepEqual(to(out, ALICE), ['[#rust] *** bob joined ***\n']);
  });

  it('an invalid room name is refused', () => {
    const h = trio();
    const out = h.send(ALICE, `/join #${'x'.repeat(33)}\n`);
    assert.match(to(out, ALICE)[0] ?? '', /^\*\*\* invalid room name: .+ \*\*\*\n$/);
    assert.match(to(h.send(ALICE, '/join #a\u202eb\n'), ALICE)[0] ?? '', /invalid room name/);
  });

  it('/rooms lists rooms with member counts and topics', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    h.send(ALICE, '/topic #rust fearless concurrency\n');
    assert.deepEqual(to(h.send(BOB, '/rooms\n'), BOB), [
      '*** #lobby (3 members) ***\n',
      '*** #rust (1 member): fearless concurrency ***\n',
      '*** end of room list (2) ***\n',
    ]);
  });

  it('/list is /rooms under the name the cluster issue uses: the same lines, and /help names both', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    h.send(ALICE, '/topic #rust fearless concurrency\n');
    const rooms = to(h.send(BOB, '/rooms\n'), BOB);
    assert.deepEqual(to(h.send(BOB, '/list\n'), BOB), rooms);
    assert.deepEqual(to(h.send(CAROL, '/LIST\n'), CAROL), [
      '*** #lobby (3 members) ***\n',
      '*** #rust (1 member): fearless concurrency ***\n',
      '*** end of room list (2) ***\n',
    ]);
    const help = to(h.send(BOB, '/help\n'), BOB);
    assert.ok(
      help.some((l) => l.startsWith('*** /list')),
      'help names /list',
    );
    assert.ok(
      help.some((l) => l.startsWith('*** /rooms')),
      'help still names /rooms',
    );
  });

  it('/list before /join is refused like /rooms', () => {
    const h = new Harness();
    const refusal = to(h.send(ALICE, '/rooms\n'), ALICE);
    assert.ok(refusal.length > 0);
    assert.deepEqual(to(h.send(ALICE, '/list\n'), ALICE), refusal);
  });

  it('/topic shows and (for operators) sets the topic; joiners are told it', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    h.send(BOB, '/join #rust\n');
    assert.deepEqual(lines(h.send(ALICE, '/topic #rust 2024 edition\n')), [
      '40001 <- [#rust] *** alice set the topic: 2024 edition ***\\n',
      '40002 <- [#rust] *** alice set the topic: 2024 edition ***\\n',
    ]);
    assert.deepEqual(lines(h.send(BOB, '/topic\n')), ['40002 <- [#rust] *** topic: 2024 edition ***\\n']);
    assert.deepEqual(lines(h.send(BOB, '/topic #rust mine now\n')), [
      '40002 <- *** you are not an operator of #rust ***\\n',
    ]);
    assert.deepEqual(to(h.send(CAROL, '/join #rust\n'), CAROL), [
      '[#rust] *** you joined #rust; now talking in #rust ***\n',
      '[#rust] *** topic: 2024 edition ***\n',
      '[#rust] *** members: @alice, bob, carol ***\n',
    ]);
  });

  it('a topic is sanitised like any line', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    assert.deepEqual(to(h.send(ALICE, '/topic \x1b[31mred\x07\n'), ALICE), [
      '[#rust] *** alice set the topic: red ***\n',
    ]);
  });
});

describe('quit, timeout and nick notices go only to the rooms concerned, once', () => {
  it('a quit is told once to each client sharing any room, and not to others', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    h.send(BOB, '/join #rust\n');
    h.send(CAROL, '/join #go\n');
    h.send(CAROL, '/part #lobby\n');
    assert.deepEqual(lines(h.send(ALICE, '/leave\n')), ['40002 <- *** alice left ***\\n']);
  });

  it('a quit message is shown', () => {
    const h = trio();
    assert.deepEqual(to(h.send(ALICE, '/leave gotta go\n'), BOB), ['*** alice left (gotta go) ***\n']);
  });

  it('a timeout is announced to the rooms the client was in', () => {
    const h = new Harness({ idleTimeoutMs: 1_000, sweepIntervalMs: 1_000 });
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    h.send(ALICE, '/join #rust\n');
    h.send(BOB, '/join #rust\n');
    h.now = 1_500;
    h.send(BOB, '/ping\n');
    assert.deepEqual(lines(h.advance(500)), ['40002 <- *** alice timed out ***\\n']);
    assert.equal(h.relay.rooms.size, 2);
  });
});

describe('v1 clients keep working beside room users', () => {
  it('a seed client in the lobby sees only lobby lines, in the seed format', () => {
    const h = new Harness();
    h.join(ALICE, 'seedy');
    h.join(BOB, 'bob');
    h.send(BOB, '/join #rust\n');
    assert.deepEqual(to(h.send(BOB, 'rust talk\n'), ALICE), []);
    h.send(BOB, '/switch #lobby\n');
    assert.deepEqual(to(h.send(BOB, 'hi seedy\n'), ALICE), ['<bob> hi seedy\n']);
    assert.deepEqual(to(h.send(ALICE, 'hi bob\n'), BOB), ['<seedy> hi bob\n']);
    assert.deepEqual(to(h.send(BOB, '/leave\n'), ALICE), ['*** bob left ***\n']);
  });
});
