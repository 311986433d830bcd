import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';

type Pair = { readonly name: string; readonly a: string; readonly b: string };

const SAME_KEY: readonly Pair[] = [
  { name: 'names differing only in case', a: 'Alice', b: 'alice' },
  { name: 'an all-capital name and its lower case', a: 'ALICE', b: 'alice' },
  { name: 'a full-width name and its ASCII form', a: 'ａｌｉｃｅ', b: 'alice' },
  { name: 'a name with a Cyrillic а', a: '\u0430lice', b: 'alice' },
  { name: 'a name with a Greek capital Alpha', a: '\u0391lice', b: 'alice' },
  { name: 'a zero for an o', a: 'b0b', b: 'bob' },
  { name: 'a one for an l', a: 'al1ce', b: 'alice' },
  { name: 'a capital I for an l', a: 'aIice', b: 'alice' },
  { name: 'a name with a zero-width space inserted', a: 'al\u200bice', b: 'alice' },
  { name: 'a name with a zero-width joiner inserted', a: 'a\u200dlice', b: 'alice' },
  { name: 'a name with a soft hyphen inserted', a: 'ali\u00adce', b: 'alice' },
  { name: 'mathematical bold letters', a: '\u{1d41a}\u{1d425}\u{1d422}\u{1d41c}\u{1d41e}', b: 'alice' },
  { name: 'a precomposed and a decomposed accent', a: 'Jos\u00e9', b: 'jose\u0301' },
  { name: 'a full-width hash and a hash', a: '＃room', b: '#room' },
  { name: '"rn" and "m"', a: 'rnary', b: 'mary' },
];

const DISTINCT_KEY: readonly Pair[] = [
  { name: 'two different names', a: 'alice', b: 'bob' },
  { name: 'a name and a longer name sharing its prefix', a: 'alice', b: 'alicia' },
  { name: 'names differing by one letter', a: 'carol', b: 'karol' },
  { name: 'a name with and without an accent', a: 'José', b: 'Jose' },
  { name: 'a name and its reversal', a: 'bob1', b: '1bob' },
  { name: 'different CJK names', a: '山田', b: '田中' },
  { name: 'different emoji', a: '🦊', b: '🐺' },
];

describe('lookalikeKey counts look-alike names as the same', () => {
  for (const { name, a, b } of SAME_KEY) {
    it(`gives ${name} the same key`, () => {
      assert.equal(lookalikeKey(a), lookalikeKey(b));
    });
  }

  it('deliberately folds i, l, I and 1 together (over-matching is preferred to impostors)', () => {
    assert.equal(lookalikeKey('bill'), lookalikeKey('blll'));
    assert.equal(lookalikeKey('Iil1'), lookalikeKey('llll'));
  });
});

describe('lookalikeKey keeps different names apart', () => {
  for (const { name, a, b } of DISTINCT_KEY) {
    it(`gives ${name} different keys`, () => {
      assert.notEqual(lookalikeKey(a), lookalikeKey(b));
    });
  }
});

describe('lookalikeKey as a function', () => {
  it('is idempotent on arbitrary Unicode', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
        (text: string) => {
          const key = lookalikeKey(text);
          assert.equal(lookalikeKey(key), key);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is idempotent on every single code point, including those whose prototype is itself confusable', () => {
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += 1) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const key = lookalikeKey(String.fromCodePoint(codePoint));
      if (lookalikeKey(key) !== key) assert.fail(`U+${codePoint.toString(16)} has an unstable key`);
    }
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text: string) => {
        assert.equal(lookalikeKey(text), lookalikeKey(text));
      }),
    );
  });

  it('ignores invisible characters anywhere in a name', () => {
    const invisible = fc.constantFrom('\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\ufe0f');
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        invisible,
        fc.nat(),
        (text: string, mark: string, at: number) => {
          const cut = at % (text.length + 1);
          assert.equal(lookalikeKey(text.slice(0, cut) + mark + text.slice(cut)), lookalikeKey(text));
        },
      ),
    );
  });

  it('never contains "i" or an upper-case ASCII letter', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text: string) => {
        assert.doesNotMatch(lookalikeKey(text), /[iA-Z]/);
      }),
    );
  });
});
