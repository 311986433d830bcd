import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_NICK_CHARS } from '../../src/protocol/limits.ts';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { checkNick, checkRoomName, type NickCheck } from '../../src/protocol/nick.ts';

const TOO_LONG = `longer than ${MAX_NICK_CHARS} characters`;
const RESERVED = 'must not start with #, /, * or @';
const WHITESPACE = 'contains whitespace';
const INVISIBLE = 'contains a control or invisible character';

function keyOf(nick: string): string {
  const check = checkNick(nick);
  assert.ok(check.ok, `expected ${JSON.stringify(nick)} to be accepted`);
  return check.key;
}

function reasonOf(check: NickCheck): string {
  assert.ok(!check.ok, 'expected a refusal');
  return check.reason;
}

describe('checkNick accepts ordinary nicknames unchanged', () => {
  for (const nick of [
    'alice',
    'Bob_42',
    'ｆｕｌｌ',
    '山田太郎',
    'José',
    '🦊fox',
    'a',
    'x-y.z',
    'a#b',
    'o/',
  ]) {
    it(`accepts ${JSON.stringify(nick)} and returns it as given`, () => {
      const check = checkNick(nick);
      assert.deepEqual(check, { ok: true, nick, key: lookalikeKey(nick) });
    });
  }

  it('accepts a nickname containing a combining mark', () => {
    assert.equal(checkNick('Zoe\u0308').ok, true);
  });
});

describe('checkNick counts length in characters (code points)', () => {
  it(`a nickname of ${MAX_NICK_CHARS} characters is accepted`, () => {
    assert.equal(checkNick('a'.repeat(MAX_NICK_CHARS)).ok, true);
  });

  it(`a nickname of ${MAX_NICK_CHARS + 1} characters is refused`, () => {
    assert.equal(reasonOf(checkNick('a'.repeat(MAX_NICK_CHARS + 1))), TOO_LONG);
  });

  it(`a nickname of ${MAX_NICK_CHARS} emoji is accepted: each astral character counts as one`, () => {
    const nick = '🦊'.repeat(MAX_NICK_CHARS);
    assert.equal(nick.length, 2 * MAX_NICK_CHARS);
    assert.equal(checkNick(nick).ok, true);
  });

  it(`a nickname of ${MAX_NICK_CHARS + 1} emoji is refused`, () => {
    assert.equal(reasonOf(checkNick('🦊'.repeat(MAX_NICK_CHARS + 1))), TOO_LONG);
  });

  it(`a nickname of ${MAX_NICK_CHARS} mathematical letters is accepted`, () => {
    assert.equal(checkNick('\u{1d41a}'.repeat(MAX_NICK_CHARS)).ok, true);
  });

  it('an empty nickname is refused', () => {
    assert.equal(reasonOf(checkNick('')), 'is empty');
  });
});

describe('checkNick refuses nicknames that look like something else', () => {
  for (const first of ['#', '/', '*', '@']) {
    it(`a nickname starting with ${first} is refused`, () => {
      assert.equal(reasonOf(checkNick(`${first}alice`)), RESERVED);
    });
  }

  for (const first of ['＃', '／', '∗', '＠', '﹟', '⁄']) {
    it(`a nickname starting with ${first}, a look-alike of a reserved character, is refused`, () => {
      assert.equal(reasonOf(checkNick(`${first}alice`)), RESERVED);
    });
  }
});

describe('checkNick refuses whitespace, controls and invisible characters', () => {
  const whitespace: readonly string[] = [
    ' ',
    '\u00a0',
    '\u3000',
    '\u2003',
    '\u1680',
    '\t',
    '\n',
    '\u0085',
    '\u2028',
    '\u2029',
  ];
  for (const space of whitespace) {
    it(`a nickname containing U+${codeOf(space)} (whitespace) is refused`, () => {
      assert.equal(reasonOf(checkNick(`ali${space}ce`)), WHITESPACE);
    });
  }

  const invisible: readonly [string, string][] = [
    ['\u0000', 'NUL'],
    ['\u001b', 'ESC'],
    ['\u007f', 'DEL'],
    ['\u009b', 'C1 CSI'],
    ['\u200b', 'zero-width space'],
    ['\u200d', 'zero-width joiner'],
    ['\u2060', 'word joiner'],
    ['\ufeff', 'byte order mark'],
    ['\u00ad', 'soft hyphen'],
    ['\u202e', 'right-to-left override'],
    ['\u2066', 'left-to-right isolate'],
    ['\u200f', 'right-to-left mark'],
    ['\u061c', 'Arabic letter mark'],
    ['\ue000', 'private-use character'],
    ['\u{f0000}', 'supplementary private-use character'],
    ['\ud800', 'lone high surrogate'],
    ['\udc00', 'lone low surrogate'],
    ['\u0378', 'unassigned code point'],
    ['\uffff', 'noncharacter'],
    ['\u3164', 'Hangul filler'],
    ['\ufe0f', 'variation selector'],
    ['\u{e0041}', 'tag character'],
  ];
  for (const [character, description] of invisible) {
    it(`a nickname containing a ${description} is refused`, () => {
      assert.equal(reasonOf(checkNick(`ali${character}ce`)), INVISIBLE);
    });
  }

  it('a nickname that is only a zero-width space is refused', () => {
    assert.equal(reasonOf(checkNick('\u200b')), INVISIBLE);
  });

  it('a zero-width insertion has the same key as the plain name, and is refused anyway', () => {
    assert.equal(lookalikeKey('al\u200bice'), lookalikeKey('alice'));
    assert.equal(reasonOf(checkNick('al\u200bice')), INVISIBLE);
  });
});

describe('checkNick gives look-alike nicknames the same key', () => {
  const lookalikes: readonly string[] = [
    'Alice',
    'ALICE',
    'ａｌｉｃｅ',
    '\u0430lice',
    '\u0391lice',
    'al1ce',
    'aIice',
    '\u{1d41a}\u{1d425}\u{1d422}\u{1d41c}\u{1d41e}',
  ];
  for (const nick of lookalikes) {
    it(`"${nick}" has the same key as "alice"`, () => {
      assert.equal(keyOf(nick), keyOf('alice'));
    });
  }

  it('"b0b" has the same key as "bob"', () => {
    assert.equal(keyOf('b0b'), keyOf('bob'));
  });

  it('"alice" and "bob" have different keys', () => {
    assert.notEqual(keyOf('alice'), keyOf('bob'));
  });

  it('"alice" and "alicia" have different keys', () => {
    assert.notEqual(keyOf('alice'), keyOf('alicia'));
  });

  it('the key of an accepted nickname is idempotent', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: MAX_NICK_CHARS }),
        (nick: string) => {
          const check = checkNick(nick);
          if (check.ok) assert.equal(lookalikeKey(check.key), check.key);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('a refusal reason is safe to send back', () => {
  it('never contains a control character, nor any character of the refused nickname beyond ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (nick: string) => {
        const check = checkNick(nick);
        if (!check.ok) assert.match(check.reason, /^[\x20-\x7e]+$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('is one of the documented reasons', () => {
    const known = new Set(['is empty', TOO_LONG, RESERVED, WHITESPACE, INVISIBLE]);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (nick: string) => {
        const check = checkNick(nick);
        if (!check.ok) assert.ok(known.has(check.reason), check.reason);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('checkRoomName', () => {
  it('accepts "#" followed by a name and keys the whole name', () => {
    assert.deepEqual(checkRoomName('#General'), {
      ok: true,
      nick: '#General',
      key: lookalikeKey('#General'),
    });
  });

  it('a room name without a leading # is refused', () => {
    assert.equal(reasonOf(checkRoomName('general')), 'must start with #');
  });

  it('a room name that is only # is refused', () => {
    assert.equal(reasonOf(checkRoomName('#')), 'is empty');
  });

  it(`a room name of # and ${MAX_NICK_CHARS} characters is accepted`, () => {
    assert.equal(checkRoomName(`#${'r'.repeat(MAX_NICK_CHARS)}`).ok, true);
  });

  it(`a room name of # and ${MAX_NICK_CHARS + 1} characters is refused`, () => {
    assert.equal(reasonOf(checkRoomName(`#${'r'.repeat(MAX_NICK_CHARS + 1)}`)), TOO_LONG);
  });

  it('a room name with whitespace is refused', () => {
    assert.equal(reasonOf(checkRoomName('#two words')), WHITESPACE);
  });

  it('a room name with an invisible character is refused', () => {
    assert.equal(reasonOf(checkRoomName('#ro\u200bom')), INVISIBLE);
  });

  it('look-alike room names share a key', () => {
    const key = (name: string): string => {
      const check = checkRoomName(name);
      assert.ok(check.ok);
      return check.key;
    };
    assert.equal(key('#Lobby'), key('#ｌｏｂｂｙ'));
    assert.equal(key('#c0ffee'), key('#coffee'));
  });

  it('no accepted nickname shares a key with a room name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), (nick: string) => {
        const check = checkNick(nick);
        if (check.ok) assert.ok(!check.key.startsWith('#'));
      }),
      { numRuns: 3000 },
    );
  });
});

function codeOf(character: string): string {
  return (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}
