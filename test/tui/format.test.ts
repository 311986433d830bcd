/** The terminal client's pure formatting: stable nick colours, local timestamps, plain output off a TTY. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  formatChat,
  formatClock,
  formatLine,
  formatLocal,
  formatNotice,
  movedText,
  NICK_PALETTE,
  nickColour,
  nickHash,
  PLAIN,
  paint,
  silenceMessage,
} from '../../src/tui/format.ts';

const TTY = { colour: true, timestamps: true };
const AT = new Date(2024, 0, 2, 9, 5, 59);

describe('nick colours', () => {
  test('a nick always gets the same colour, from the palette', () => {
    fc.assert(
      fc.property(fc.string(), (nick) => {
        assert.equal(nickColour(nick), nickColour(nick));
        assert.ok(NICK_PALETTE.includes(nickColour(nick)));
      }),
    );
  });

  test('the hash is FNV-1a, so colours do not change between versions or machines', () => {
    assert.equal(nickHash(''), 0x811c9dc5);
    assert.equal(nickHash('a'), 0xe40c292c);
  });

  test('common nicks do not all share one colour', () => {
    const colours = new Set(['alice', 'bob', 'carol', 'dave', 'eve', 'mallory'].map(nickColour));
    assert.ok(colours.size >= 3, `${colours.size} colours`);
  });

  test('paint resets only the foreground it set', () => {
    assert.equal(paint('x', 31), '\x1b[31mx\x1b[39m');
  });
});

describe('timestamps', () => {
  test('HH:MM in local time, zero-padded, seconds dropped', () => {
    assert.equal(formatClock(AT), '09:05');
    assert.equal(formatClock(new Date(2024, 0, 2, 23, 59)), '23:59');
    assert.equal(formatClock(new Date(2024, 0, 2, 0, 0)), '00:00');
  });
});

describe('lines', () => {
  test('off a TTY a chat line is exactly what the relay sent', () => {
    assert.equal(formatChat('alice', 'hello', PLAIN, AT), '<alice> hello');
    assert.equal(formatNotice('*** bob joined ***', PLAIN, AT), '*** bob joined ***');
    assert.equal(formatLine('whatever', PLAIN, AT), 'whatever');
  });

  test('on a TTY a chat line gets a timestamp and the nick its colour', () => {
    const colour = nickColour('alice');
    assert.equal(formatChat('alice', 'hello', TTY, AT), `09:05 \x1b[${colour}m<alice>\x1b[39m hello`);
  });

  test('the text of a chat line is never coloured', () => {
    assert.ok(formatChat('alice', 'hello', TTY, AT).endsWith('\x1b[39m hello'));
  });

  test('local messages are marked so they cannot be mistaken for relay lines', () => {
    assert.equal(formatLocal('oops', PLAIN, AT), '-!- oops');
    assert.equal(formatLocal('oops', TTY, AT), '09:05 \x1b[33m-!- oops\x1b[39m');
  });

  test('the silence warning names the relay and the seconds', () => {
    assert.equal(
      silenceMessage('127.0.0.1:9999', 30),
      'the relay at 127.0.0.1:9999 has not answered for 30 s',
    );
  });
});

describe('failover notes', () => {
  const move = { type: 'moved', from: '10.0.0.1:9999', to: '10.0.0.2:9999' } as const;
  test('a resumption says which relay was lost and where the session went on', () => {
    assert.equal(
      movedText({ ...move, resumed: true, refused: null, resent: 2 }, 'alice'),
      'relay 10.0.0.1:9999 lost — resumed on 10.0.0.2:9999 as alice (2 lines said again)',
    );
  });
  test('a plain join after a refused resumption says so, and why', () => {
    assert.equal(
      movedText({ ...move, resumed: false, refused: 'expired', resent: 0 }, 'alice'),
      'relay 10.0.0.1:9999 lost — joined 10.0.0.2:9999 as alice, a new session (resume refused: expired)',
    );
    assert.equal(
      movedText({ ...move, resumed: false, refused: null, resent: 1 }, 'bob'),
      'relay 10.0.0.1:9999 lost — joined 10.0.0.2:9999 as bob, a new session (no ticket) (1 line said again)',
    );
  });
});
