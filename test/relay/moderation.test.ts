import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import type { AccountDirectory, AccountRecord } from '../../src/relay/accounts.ts';
import { Harness, lines, to } from '../support/relay-harness.ts';

/** Each on its own host, since an unregistered nick is banned by host; DAVE shares BOB's host. */
const ALICE: Address = { host: '10.0.0.1', port: 40001 };
const BOB: Address = { host: '10.0.0.2', port: 40002 };
const CAROL: Address = { host: '10.0.0.3', port: 40003 };
const DAVE: Address = { host: '10.0.0.2', port: 40004 };
const ROOT: Address = { host: '10.0.0.9', port: 40009 };
const ELSEWHERE: Address = { host: '10.0.0.5', port: 40005 };

const NOT_OPERATOR = '*** you are not an operator of #rust ***\n';

function account(nick: string, serverOperator: boolean): AccountRecord {
  return {
    nick,
    key: lookalikeKey(nick),
    serverOperator,
    credential: { algorithm: 'scrypt', salt: 'c2FsdA==', hash: 'aGFzaA==', N: 16384, r: 8, p: 1 },
  };
}

/** bob has an account; root has one and is a server operator; anyone else is unregistered. */
const ACCOUNTS: AccountDirectory = {
  find: (key: string) => [account('bob', false), account('root', true)].find((record) => record.key === key),
};

/** Flood control is off: these tests send many commands at one instant. */
function harness(): Harness {
  return new Harness({ lineRate: 0, accounts: ACCOUNTS });
}

/** Completes an authenticated join the way the binding would: the secret checks out. */
function login(h: Harness, from: Address, nick: string): void {
  const [task] = h.send(from, `/join ${nick} secret\n`).tasks;
  assert.ok(task !== undefined, 'a check-secret task');
  h.relay.secretChecked(h.now, task.id, true);
}

/** alice (operator of #rust), unregistered bob and carol in #lobby; alice and bob also in #rust. */
function rustRoom(): Harness {
  const h = harness();
  h.join(ALICE, 'alice');
  h.join(BOB, 'bobby');
  h.join(CAROL, 'carol');
  h.send(ALICE, '/join #rust\n');
  h.send(BOB, '/join #rust\n');
  return h;
}

function refusals(h: Harness, from: Address, line: string): string[] {
  const out = h.send(from, line);
  return out.events.flatMap((e) => (e.type === 'refused' ? [e.reason] : []));
}

describe('/op', () => {
  it('an operator makes a member an operator; the room is told and member lists show @', () => {
    const h = rustRoom();
    assert.deepEqual(lines(h.send(ALICE, '/op #rust bobby\n')), [
      '40001 <- [#rust] *** alice made bobby an operator ***\\n',
      '40002 <- [#rust] *** alice made bobby an operator ***\\n',
    ]);
    assert.deepEqual(
      to(h.send(CAROL, '/join #rust\n'), CAROL).at(-1),
      '[#rust] *** members: @alice, @bobby, carol ***\n',
    );
  });

  it('the #room may be left out: the current room is meant', () => {
    const h = rustRoom();
    assert.deepEqual(to(h.send(ALICE, '/op bobby\n'), BOB), [
      '[#rust] *** alice made bobby an operator ***\n',
    ]);
  });

  it('a non-operator cannot op', () => {
    const h = rustRoom();
    const out = h.send(BOB, '/op #rust bobby\n');
    assert.deepEqual(lines(out), ['40002 <- *** you are not an operator of #rust ***\\n']);
    assert.deepEqual(out.events, [{ type: 'refused', address: BOB, reason: 'not-operator' }]);
  });

  it('op refusals: usage, unknown nick, nick not in the room, already an operator, unknown room', () => {
    const h = rustRoom();
    assert.deepEqual(to(h.send(ALICE, '/op #rust\n'), ALICE), ['*** usage: /op #room <nick> ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/op #rust bobby carol\n'), ALICE), [
      '*** usage: /op #room <nick> ***\n',
    ]);
    assert.deepEqual(to(h.send(ALICE, '/op #rust dave\n'), ALICE), ['*** no such nick: dave ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/op #rust carol\n'), ALICE), ['*** carol is not in #rust ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/op #rust alice\n'), ALICE), [
      '*** alice is already an operator of #rust ***\n',
    ]);
    assert.deepEqual(to(h.send(ALICE, '/op #go bobby\n'), ALICE), ['*** no such room: #go ***\n']);
  });

  it('op status is lost on part: a member who comes back is a plain member', () => {
    const h = rustRoom();
    h.send(ALICE, '/op #rust bobby\n');
    h.send(BOB, '/part #rust\n');
    assert.deepEqual(
      to(h.send(BOB, '/join #rust\n'), BOB).at(-1),
      '[#rust] *** members: @alice, bobby ***\n',
    );
    h.send(ALICE, '/part #rust\n');
    assert.deepEqual(
      to(h.send(ALICE, '/join #rust\n'), ALICE).at(-1),
      '[#rust] *** members: bobby, alice ***\n',
    );
    assert.deepEqual(to(h.send(ALICE, '/op #rust bobby\n'), ALICE), [NOT_OPERATOR]);
  });
});

describe('/kick', () => {
  it('an operator kicks a member: the kicked member and the room are told, with the reason', () => {
    const h = rustRoom();
    assert.deepEqual(lines(h.send(ALICE, '/kick #rust bobby spamming links\n')), [
      '40002 <- [#rust] *** bobby was kicked by alice (spamming links) ***\\n',
      '40001 <- [#rust] *** bobby was kicked by alice (spamming links) ***\\n',
      '40002 <- *** now talking in #lobby ***\\n',
    ]);
    assert.equal(h.relay.rooms.get('#rust')?.members.size, 1);
    assert.deepEqual(to(h.send(BOB, 'back in the lobby\n'), CAROL), ['<bobby> back in the lobby\n']);
  });

  it("a kick without a reason, from a room that is not the kicked member's current one", () => {
    const h = rustRoom();
    h.send(BOB, '/switch #lobby\n');
    assert.deepEqual(lines(h.send(ALICE, '/kick #rust bobby\n')), [
      '40002 <- [#rust] *** bobby was kicked by alice ***\\n',
      '40001 <- [#rust] *** bobby was kicked by alice ***\\n',
    ]);
  });

  it('a client kicked out of its last room goes back to #lobby', () => {
    const h = rustRoom();
    h.send(BOB, '/part #lobby\n');
    assert.deepEqual(lines(h.send(ALICE, '/kick #rust bobby bye\n')), [
      '40002 <- [#rust] *** bobby was kicked by alice (bye) ***\\n',
      '40001 <- [#rust] *** bobby was kicked by alice (bye) ***\\n',
      '40001 <- *** bobby joined ***\\n',
      '40003 <- *** bobby joined ***\\n',
      '40002 <- *** you joined #lobby; now talking in #lobby ***\\n',
      '40002 <- *** members: @alice, carol, bobby ***\\n',
    ]);
  });

  it('a client kicked out of #lobby with no other room is in no room until it joins one', () => {
    const h = rustRoom();
    h.send(BOB, '/part #rust\n');
    assert.deepEqual(lines(h.send(ALICE, '/kick #lobby bobby\n')), [
      '40002 <- *** bobby was kicked by alice ***\\n',
      '40001 <- *** bobby was kicked by alice ***\\n',
      '40003 <- *** bobby was kicked by alice ***\\n',
    ]);
    assert.deepEqual(lines(h.send(BOB, 'let me back\n')), [
      '40002 <- *** you are in no room: /join #room first ***\\n',
    ]);
    h.send(BOB, '/join #go\n');
    assert.deepEqual(to(h.send(CAROL, '/join #go\n'), BOB), ['[#go] *** carol joined ***\n']);
    assert.deepEqual(to(h.send(BOB, 'hello\n'), CAROL), ['[#go] <bobby> hello\n']);
  });

  it('a kicked member may join again', () => {
    const h = rustRoom();
    h.send(ALICE, '/kick #rust bobby\n');
    assert.deepEqual(to(h.send(BOB, '/join #rust\n'), ALICE), ['[#rust] *** bobby joined ***\n']);
  });

  it('a non-operator cannot kick, and the member stays', () => {
    const h = rustRoom();
    const out = h.send(BOB, '/kick #rust alice\n');
    assert.deepEqual(lines(out), ['40002 <- *** you are not an operator of #rust ***\\n']);
    assert.deepEqual(out.events, [{ type: 'refused', address: BOB, reason: 'not-operator' }]);
    assert.equal(h.relay.rooms.get('#rust')?.members.size, 2);
  });

  it('kick refusals: usage, unknown nick, nick not in the room, unknown room', () => {
    const h = rustRoom();
    assert.deepEqual(to(h.send(ALICE, '/kick #rust\n'), ALICE), [
      '*** usage: /kick #room <nick> [reason] ***\n',
    ]);
    assert.deepEqual(to(h.send(ALICE, '/kick #rust dave\n'), ALICE), ['*** no such nick: dave ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/kick #rust carol\n'), ALICE), ['*** carol is not in #rust ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/kick #go carol\n'), ALICE), ['*** no such room: #go ***\n']);
    assert.deepEqual(refusals(h, ALICE, '/kick #rust carol\n'), ['not-in-room']);
  });

  it('an unknown nick with control characters in it is not echoed', () => {
    const h = rustRoom();
    assert.deepEqual(to(h.send(ALICE, '/kick #rust \x1b[2Jevil\n'), ALICE), [
      '*** no such nick: (that nick) ***\n',
    ]);
  });

  it('a kick reason is sanitised like any line', () => {
    const h = rustRoom();
    assert.deepEqual(to(h.send(ALICE, '/kick #rust bobby \x1b[31mred\x07\n'), ALICE), [
      '[#rust] *** bobby was kicked by alice (red) ***\n',
    ]);
  });

  it('a reason longer than 300 characters, or too wide for one datagram, is refused and nobody is kicked', () => {
    const h = rustRoom();
    const out = h.send(ALICE, `/kick #rust bobby ${'x'.repeat(301)}\n`);
    assert.deepEqual(lines(out), ['40001 <- *** line refused: 301 characters (max 300) ***\\n']);
    assert.deepEqual(to(h.send(ALICE, `/kick #rust bobby ${'😀'.repeat(300)}\n`), ALICE), [
      '*** line refused: too long to relay in one datagram (max 1154 bytes) ***\n',
    ]);
    assert.equal(h.relay.rooms.get('#rust')?.members.size, 2);
  });
});

describe('/ban and /unban', () => {
  it('banning an unregistered nick bans its host: it is kicked, and nobody from that host may join', () => {
    const h = rustRoom();
    h.join(DAVE, 'dave');
    assert.deepEqual(lines(h.send(ALICE, '/ban #rust bobby\n')), [
      '40001 <- [#rust] *** alice banned bobby ***\\n',
      '40002 <- [#rust] *** alice banned bobby ***\\n',
      '40002 <- [#rust] *** bobby was kicked by alice (banned) ***\\n',
      '40001 <- [#rust] *** bobby was kicked by alice (banned) ***\\n',
      '40002 <- *** now talking in #lobby ***\\n',
    ]);
    const refused = h.send(BOB, '/join #rust\n');
    assert.deepEqual(lines(refused), ['40002 <- *** you are banned from #rust ***\\n']);
    assert.deepEqual(refused.events, [{ type: 'refused', address: BOB, reason: 'banned' }]);
    assert.deepEqual(to(h.send(DAVE, '/join #rust\n'), DAVE), ['*** you are banned from #rust ***\n']);
    assert.deepEqual(to(h.send(CAROL, '/join #rust\n'), ALICE), ['[#rust] *** carol joined ***\n']);
  });

  it('banning a registered nick bans its account: a new address does not help, its old host may join', () => {
    const h = harness();
    h.join(ALICE, 'alice');
    login(h, BOB, 'bob');
    h.send(ALICE, '/join #rust\n');
    h.send(BOB, '/join #rust\n');
    assert.deepEqual(to(h.send(ALICE, '/ban #rust bob\n'), ALICE), [
      '[#rust] *** alice banned bob ***\n',
      '[#rust] *** bob was kicked by alice (banned) ***\n',
    ]);
    h.send(BOB, '/leave\n');
    login(h, ELSEWHERE, 'bob');
    assert.deepEqual(to(h.send(ELSEWHERE, '/join #rust\n'), ELSEWHERE), [
      '*** you are banned from #rust ***\n',
    ]);
    h.join(DAVE, 'dave');
    assert.deepEqual(to(h.send(DAVE, '/join #rust\n'), ALICE), ['[#rust] *** dave joined ***\n']);
  });

  it('a ban may be laid on a connected nick that is not in the room; only the room is told', () => {
    const h = rustRoom();
    assert.deepEqual(lines(h.send(ALICE, '/ban #rust carol\n')), [
      '40001 <- [#rust] *** alice banned carol ***\\n',
      '40002 <- [#rust] *** alice banned carol ***\\n',
    ]);
    assert.deepEqual(to(h.send(CAROL, '/join #rust\n'), CAROL), ['*** you are banned from #rust ***\n']);
  });

  it('/unban lifts the bans made for the nick, even after it left, and it may join again', () => {
    const h = rustRoom();
    h.send(ALICE, '/ban #rust bobby\n');
    h.send(BOB, '/leave\n');
    assert.deepEqual(lines(h.send(ALICE, '/unban #rust BOBBY\n')), [
      '40001 <- [#rust] *** alice unbanned bobby ***\\n',
    ]);
    h.join(BOB, 'bobby');
    assert.deepEqual(to(h.send(BOB, '/join #rust\n'), ALICE), ['[#rust] *** bobby joined ***\n']);
  });

  it('a non-operator cannot ban or unban', () => {
    const h = rustRoom();
    assert.deepEqual(to(h.send(BOB, '/ban #rust alice\n'), BOB), [NOT_OPERATOR]);
    h.send(ALICE, '/ban #rust carol\n');
    assert.deepEqual(refusals(h, BOB, '/unban #rust carol\n'), ['not-operator']);
    assert.deepEqual(to(h.send(CAROL, '/join #rust\n'), CAROL), ['*** you are banned from #rust ***\n']);
  });

  it('ban and unban refusals: usage, unknown nick, already banned, not banned', () => {
    const h = rustRoom();
    assert.deepEqual(to(h.send(ALICE, '/ban #rust\n'), ALICE), ['*** usage: /ban #room <nick> ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/unban #rust\n'), ALICE), ['*** usage: /unban #room <nick> ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/ban #rust dave\n'), ALICE), ['*** no such nick: dave ***\n']);
    h.send(ALICE, '/ban #rust carol\n');
    assert.deepEqual(to(h.send(ALICE, '/ban #rust carol\n'), ALICE), [
      '*** carol is already banned from #rust ***\n',
    ]);
    assert.deepEqual(to(h.send(ALICE, '/unban #rust dave\n'), ALICE), [
      '*** dave is not banned from #rust ***\n',
    ]);
    assert.deepEqual(to(h.send(ALICE, '/unban #rust \x07x\n'), ALICE), [
      '*** (that nick) is not banned from #rust ***\n',
    ]);
  });

  it('a client banned from #lobby and kicked out of its last other room stays in no room', () => {
    const h = rustRoom();
    h.send(ALICE, '/ban #lobby bobby\n');
    assert.deepEqual(to(h.send(ALICE, '/kick #rust bobby\n'), BOB), [
      '[#rust] *** bobby was kicked by alice ***\n',
    ]);
    assert.deepEqual(to(h.send(BOB, 'hello?\n'), BOB), ['*** you are in no room: /join #room first ***\n']);
  });
});

describe('/mode and /invite', () => {
  it('/mode #room shows the modes to anyone, member or not', () => {
    const h = rustRoom();
    assert.deepEqual(lines(h.send(CAROL, '/mode #rust\n')), [
      '40003 <- [#rust] *** modes of #rust: none ***\\n',
    ]);
    h.send(ALICE, '/mode #rust +i\n');
    assert.deepEqual(lines(h.send(BOB, '/mode\n')), ['40002 <- [#rust] *** modes of #rust: +i ***\\n']);
  });

  it('an operator makes a room invite-only and open again; the room is told each time', () => {
    const h = rustRoom();
    assert.deepEqual(lines(h.send(ALICE, '/mode #rust +i\n')), [
      '40001 <- [#rust] *** alice made #rust invite-only (+i) ***\\n',
      '40002 <- [#rust] *** alice made #rust invite-only (+i) ***\\n',
    ]);
    assert.deepEqual(lines(h.send(ALICE, '/mode #rust -i\n')), [
      '40001 <- [#rust] *** alice opened #rust to everyone (-i) ***\\n',
      '40002 <- [#rust] *** alice opened #rust to everyone (-i) ***\\n',
    ]);
  });

  it('setting a mode the room already has announces nothing', () => {
    const h = rustRoom();
    assert.deepEqual(lines(h.send(ALICE, '/mode #rust -i\n')), [
      '40001 <- [#rust] *** modes of #rust: none ***\\n',
    ]);
  });

  it('an invite-only room refuses an uninvited joiner', () => {
    const h = rustRoom();
    h.send(ALICE, '/mode #rust +i\n');
    const out = h.send(CAROL, '/join #rust\n');
    assert.deepEqual(lines(out), ['40003 <- *** #rust is invite-only ***\\n']);
    assert.deepEqual(out.events, [{ type: 'refused', address: CAROL, reason: 'invite-only' }]);
  });

  it('an invitation lets a nick into an invite-only room once', () => {
    const h = rustRoom();
    h.send(ALICE, '/mode #rust +i\n');
    assert.deepEqual(lines(h.send(ALICE, '/invite carol #rust\n')), [
      '40003 <- *** alice invites you to #rust ***\\n',
      '40001 <- [#rust] *** you invited carol to #rust ***\\n',
    ]);
    assert.deepEqual(to(h.send(CAROL, '/join #rust\n'), ALICE), ['[#rust] *** carol joined ***\n']);
    h.send(CAROL, '/part #rust\n');
    assert.deepEqual(to(h.send(CAROL, '/join #rust\n'), CAROL), ['*** #rust is invite-only ***\n']);
  });

  it('an invitation sent before the room turns invite-only still counts; the #room may be left out', () => {
    const h = rustRoom();
    assert.deepEqual(to(h.send(ALICE, '/invite carol\n'), CAROL), ['*** alice invites you to #rust ***\n']);
    h.send(ALICE, '/mode #rust +i\n');
    assert.deepEqual(to(h.send(CAROL, '/join #rust\n'), ALICE), ['[#rust] *** carol joined ***\n']);
  });

  it('an invitation does not let a banned nick in', () => {
    const h = rustRoom();
    h.send(ALICE, '/mode #rust +i\n');
    h.send(ALICE, '/ban #rust carol\n');
    h.send(ALICE, '/invite carol #rust\n');
    assert.deepEqual(to(h.send(CAROL, '/join #rust\n'), CAROL), ['*** you are banned from #rust ***\n']);
  });

  it('a non-operator cannot change modes or invite', () => {
    const h = rustRoom();
    assert.deepEqual(to(h.send(BOB, '/mode #rust +i\n'), BOB), [NOT_OPERATOR]);
    assert.deepEqual(refusals(h, BOB, '/invite carol #rust\n'), ['not-operator']);
    assert.equal(h.relay.rooms.get('#rust')?.inviteOnly, false);
  });

  it('mode and invite refusals: unknown mode, #lobby stays open, usage, inviting a member, unknown nick', () => {
    const h = rustRoom();
    assert.deepEqual(to(h.send(ALICE, '/mode #rust +m\n'), ALICE), ['*** usage: /mode #room +i|-i ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/mode #lobby +i\n'), ALICE), [
      '*** #lobby cannot be invite-only: every client starts there ***\n',
    ]);
    assert.deepEqual(to(h.send(ALICE, '/invite\n'), ALICE), ['*** usage: /invite <nick> #room ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/invite carol #rust now\n'), ALICE), [
      '*** usage: /invite <nick> #room ***\n',
    ]);
    assert.deepEqual(to(h.send(ALICE, '/invite bobby #rust\n'), ALICE), [
      '*** bobby is already in #rust ***\n',
    ]);
    assert.deepEqual(to(h.send(ALICE, '/invite dave #rust\n'), ALICE), ['*** no such nick: dave ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/invite carol #go\n'), ALICE), ['*** no such room: #go ***\n']);
  });

  it('a server operator joins an invite-only room uninvited, but not past a ban', () => {
    const h = rustRoom();
    login(h, ROOT, 'root');
    h.send(ALICE, '/mode #rust +i\n');
    assert.deepEqual(to(h.send(ROOT, '/join #rust\n'), ALICE), ['[#rust] *** root joined ***\n']);
    h.send(ALICE, '/ban #rust root\n');
    assert.deepEqual(to(h.send(ROOT, '/join #rust\n'), ROOT), ['*** you are banned from #rust ***\n']);
  });
});

describe('/kill', () => {
  it('a server operator kills a client: the victim is told, then everyone who shared a room, once', () => {
    const h = rustRoom();
    login(h, ROOT, 'root');
    const out = h.send(ROOT, '/kill bobby flooding\n');
    assert.deepEqual(lines(out), [
      '40002 <- *** you were killed by root (flooding) ***\\n',
      '40001 <- *** bobby was killed (by root: flooding) ***\\n',
      '40003 <- *** bobby was killed (by root: flooding) ***\\n',
      '40009 <- *** bobby was killed (by root: flooding) ***\\n',
    ]);
    assert.deepEqual(out.events, [{ type: 'departed', address: BOB, nick: 'bobby', reason: 'killed' }]);
    assert.deepEqual(to(h.send(BOB, 'hello?\n'), BOB), ['*** please /join <nickname> first ***\n']);
  });

  it('a killer who shares no room with its victim is told as well', () => {
    const h = rustRoom();
    login(h, ROOT, 'root');
    h.send(ROOT, '/join #ops\n');
    h.send(ROOT, '/part #lobby\n');
    h.send(BOB, '/part #lobby\n');
    assert.deepEqual(lines(h.send(ROOT, '/kill bobby\n')), [
      '40002 <- *** you were killed by root ***\\n',
      '40001 <- *** bobby was killed (by root) ***\\n',
      '40009 <- *** bobby was killed (by root) ***\\n',
    ]);
  });

  it('nobody but a server operator may kill, room operator or registered alike', () => {
    const h = rustRoom();
    login(h, ELSEWHERE, 'bob');
    for (const from of [ALICE, ELSEWHERE]) {
      const out = h.send(from, '/kill carol\n');
      assert.deepEqual(to(out, from), ['*** you are not a server operator ***\n']);
      assert.deepEqual(out.events, [{ type: 'refused', address: from, reason: 'not-operator' }]);
    }
    assert.equal(h.relay.sessions.size, 4);
  });

  it('kill refusals: usage, unknown nick, unusable reason', () => {
    const h = rustRoom();
    login(h, ROOT, 'root');
    assert.deepEqual(to(h.send(ROOT, '/kill\n'), ROOT), ['*** usage: /kill <nick> [reason] ***\n']);
    assert.deepEqual(to(h.send(ROOT, '/kill dave\n'), ROOT), ['*** no such nick: dave ***\n']);
    assert.deepEqual(to(h.send(ROOT, `/kill bobby ${'x'.repeat(301)}\n`), ROOT), [
      '*** line refused: 301 characters (max 300) ***\n',
    ]);
    assert.equal(h.relay.sessions.size, 4);
  });
});

describe('a lobby ban holds at registration', () => {
  it('a client banned from #lobby cannot come back with /leave and /join', async () => {
    const { Harness: H } = await import('../support/relay-harness.ts');
    const h = new H();
    const op = { host: '127.0.0.1', port: 41001 };
    const pest = { host: '127.0.0.66', port: 41002 };
    h.join(op, 'op');
    h.join(pest, 'pest');
    h.send(op, '/ban #lobby pest\n');
    h.send(pest, '/join #elsewhere\n');
    h.send(pest, '/leave\n');
    const out = h.join(pest, 'pest2');
    assert.deepEqual(
      out.transmits.map((t) => new TextDecoder().decode(t.payload)),
      ['*** you are banned from #lobby ***\n'],
    );
    assert.equal(h.relay.sessions.size, 1);
  });
});
