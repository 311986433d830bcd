import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, BOB, CAROL, lines, to, trio } from '../support/relay-harness.ts';

describe('direct messages', () => {
  it('/msg reaches only that nick, marked as private', () => {
    const h = trio();
    assert.deepEqual(lines(h.send(ALICE, '/msg bob psst\n')), ['40002 <- [msg] <alice> psst\\n']);
  });

  it('the nick is matched like a nickname: case and look-alikes', () => {
    const h = trio();
    assert.deepEqual(to(h.send(ALICE, '/msg BOB hi\n'), BOB), ['[msg] <alice> hi\n']);
  });

  it('an unknown nick is an error to the sender', () => {
    const h = trio();
    assert.deepEqual(lines(h.send(ALICE, '/msg dave hi\n')), ['40001 <- *** no such nick: dave ***\\n']);
  });

  it('a /msg without text is a usage error', () => {
    const h = trio();
    assert.deepEqual(lines(h.send(ALICE, '/msg bob\n')), [
      '40001 <- *** usage: /msg <nick> <text> | /msg <nick> /me <action> ***\\n',
    ]);
  });

  it('/msg nick /me is a private action', () => {
    const h = trio();
    assert.deepEqual(lines(h.send(ALICE, '/msg bob /me waves\n')), ['40002 <- [msg] * alice waves\\n']);
  });

  it('messaging someone away tells the sender', () => {
    const h = trio();
    h.send(BOB, '/away lunch\n');
    assert.deepEqual(lines(h.send(ALICE, '/msg bob back soon?\n')), [
      '40002 <- [msg] <alice> back soon?\\n',
      '40001 <- *** bob is away: lunch ***\\n',
    ]);
  });

  it('private text is sanitised like room text', () => {
    const h = trio();
    assert.deepEqual(to(h.send(ALICE, '/msg bob \x1b]52;c;ZXZpbA==\x07hi\n'), BOB), ['[msg] <alice> hi\n']);
  });
});

describe('/me', () => {
  it('is an action in the current room', () => {
    const h = trio();
    assert.deepEqual(to(h.send(ALICE, '/me waves\n'), BOB), ['* alice waves\n']);
    h.send(ALICE, '/join #rust\n');
    h.send(BOB, '/join #rust\n');
    assert.deepEqual(to(h.send(ALICE, '/me compiles\n'), BOB), ['[#rust] * alice compiles\n']);
  });
});

describe('/nick', () => {
  it('renames and tells everyone sharing a room once', () => {
    const h = trio();
    h.send(ALICE, '/join #rust\n');
    h.send(BOB, '/join #rust\n');
    assert.deepEqual(lines(h.send(ALICE, '/nick alicia\n')), [
      '40002 <- *** alice is now known as alicia ***\\n',
      '40003 <- *** alice is now known as alicia ***\\n',
      '40001 <- *** you are now known as alicia ***\\n',
    ]);
    assert.deepEqual(to(h.send(ALICE, 'hi\n'), BOB), ['[#rust] <alicia> hi\n']);
  });

  it('the old nick is free and the new one is taken', () => {
    const h = trio();
    h.send(ALICE, '/nick alicia\n');
    assert.deepEqual(to(h.send(BOB, '/nick ALICIA\n'), BOB), ['*** nickname ALICIA is already in use ***\n']);
    assert.deepEqual(to(h.send(BOB, '/nick alice\n'), BOB), ['*** you are now known as alice ***\n']);
  });

  it('changing only the case of your own nick is allowed', () => {
    const h = trio();
    assert.deepEqual(to(h.send(ALICE, '/nick Alice\n'), ALICE), ['*** you are now known as Alice ***\n']);
  });

  it('an invalid nick is refused', () => {
    const h = trio();
    assert.match(to(h.send(ALICE, '/nick #bad\n'), ALICE)[0] ?? '', /invalid nickname/);
  });

  it('nick changes are rate-limited per address', () => {
    const h = trio();
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(...to(h.send(ALICE, `/nick a${i}\n`), ALICE));
    assert.equal(answers.filter((l) => l.startsWith('*** you are now known as')).length, 5);
    assert.ok(answers.includes('*** too many attempts from your address: try again later ***\n'));
  });
});

describe('/who and /away', () => {
  it('lists members with idle time and away state', () => {
    const h = trio();
    h.now = 5_000;
    h.send(BOB, 'hi\n');
    h.send(CAROL, '/away coffee\n');
    h.now = 65_000;
    assert.deepEqual(to(h.send(ALICE, '/who\n'), ALICE), [
      '*** #lobby: 3 members ***\n',
      '*** @alice idle 1m ***\n',
      '*** bob idle 1m ***\n',
      '*** carol idle 1m away: coffee ***\n',
    ]);
  });

  it('/away alone marks you back', () => {
    const h = trio();
    assert.deepEqual(to(h.send(ALICE, '/away\n'), ALICE), ['*** you are back ***\n']);
    assert.deepEqual(to(h.send(ALICE, '/away brb\n'), ALICE), ['*** you are marked as away ***\n']);
  });

  it('/who of a room you are not in still lists it', () => {
    const h = trio();
    h.send(BOB, '/join #go\n');
    assert.deepEqual(to(h.send(ALICE, '/who #go\n'), ALICE), [
      '[#go] *** #go: 1 member ***\n',
      '[#go] *** @bob idle 0s ***\n',
    ]);
  });
});

describe('/help and unknown commands', () => {
  it('/help answers one line per command', () => {
    const h = trio();
    const help = to(h.send(ALICE, '/help\n'), ALICE);
    for (const name of [
      'join',
      'part',
      'switch',
      'rooms',
      'list',
      'topic',
      'msg',
      'me',
      'nick',
      'who',
      'away',
      'op',
      'kick',
      'ban',
      'unban',
      'mode',
      'invite',
      'kill',
      'help',
      'ping',
      'leave',
    ]) {
      assert.ok(
        help.some((l) => l.startsWith(`*** /${name}`)),
        name,
      );
    }
    for (const line of help) assert.match(line, /^\*\*\* .+ \*\*\*\n$/);
  });

  it('an unknown command is an error, not a chat line', () => {
    const h = trio();
    assert.deepEqual(lines(h.send(ALICE, '/frobnicate\n')), [
      '40001 <- *** unknown command: /frobnicate (try /help) ***\\n',
    ]);
  });
});
