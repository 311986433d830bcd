import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { needsSanitizing, sanitizeText } from '../../src/protocol/sanitize.ts';

type HostileCase = { readonly name: string; readonly input: string; readonly expected: string };

const HOSTILE_CASES: readonly HostileCase[] = [
  { name: 'a CSI colour code', input: '\x1b[31mred\x1b[0m text', expected: 'red text' },
  { name: 'a CSI colour code with many parameters', input: '\x1b[1;38;2;255;0;0mhi', expected: 'hi' },
  { name: 'a CSI cursor movement', input: 'a\x1b[10;20Hb\x1b[5Ac', expected: 'abc' },
  { name: 'a screen clear', input: '\x1b[2J\x1b[Hfake prompt', expected: 'fake prompt' },
  { name: 'a private-mode CSI (hide cursor)', input: '\x1b[?25lgone', expected: 'gone' },
  { name: 'a CSI with an intermediate byte', input: 'x\x1b[0 qy', expected: 'xy' },
  { name: 'an OSC 0 title set ended by BEL', input: '\x1b]0;pwned\x07hello', expected: 'hello' },
  { name: 'an OSC 0 title set ended by ESC \\', input: '\x1b]0;pwned\x1b\\hello', expected: 'hello' },
  { name: 'an OSC ended by the 8-bit ST', input: '\x1b]2;t\x9chello', expected: 'hello' },
  {
    name: 'an OSC 8 hyperlink',
    input: '\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\',
    expected: 'click me',
  },
  { name: 'an OSC 52 clipboard write', input: 'hi\x1b]52;c;cm0gLXJmIH4=\x07', expected: 'hi' },
  { name: 'a DCS request', input: 'a\x1bP$q"p\x1b\\b', expected: 'ab' },
  { name: 'a DCS is not ended by BEL', input: 'a\x1bPx\x07y\x1b\\b', expected: 'ab' },
  { name: 'an APC', input: 'a\x1b_Gf=100;AAAA\x1b\\b', expected: 'ab' },
  { name: 'a PM', input: 'a\x1b^private\x1b\\b', expected: 'ab' },
  { name: 'an SOS', input: 'a\x1bXstring\x1b\\b', expected: 'ab' },
  { name: 'an 8-bit C1 CSI', input: '\x9b31mred', expected: 'red' },
  { name: 'an 8-bit C1 OSC ended by 8-bit ST', input: '\x9d0;title\x9cok', expected: 'ok' },
  {
    name: 'an 8-bit C1 DCS, APC, PM and SOS',
    input: '\x90a\x9cb\x9fc\x9cd\x9ee\x9cf\x98g\x9ch',
    expected: 'bdfh',
  },
  { name: 'a lone C1 control (NEL)', input: 'a\x85b', expected: 'ab' },
  { name: 'a two-character escape (full reset)', input: 'a\x1bcb', expected: 'ab' },
  { name: 'a two-character escape (save cursor)', input: 'a\x1b7b\x1b8c', expected: 'abc' },
  { name: 'a charset designation with its final byte', input: 'a\x1b(0lqk\x1b(Bb', expected: 'alqkb' },
  { name: 'a stray ST', input: 'a\x1b\\b', expected: 'ab' },
  { name: 'an ESC before a non-ASCII character', input: 'a\x1bé', expected: 'aé' },
  { name: 'two ESC in a row before a CSI', input: 'a\x1b\x1b[31mb', expected: 'ab' },
  { name: 'NUL', input: 'a\x00b', expected: 'ab' },
  { name: 'BEL', input: 'ding\x07\x07', expected: 'ding' },
  { name: 'BS used to overwrite text', input: 'rm -rf /\b\b\b\b\b\b\b\bls', expected: 'rm -rf /ls' },
  { name: 'CR used to overwrite the sender', input: 'hi\r<admin> trust me', expected: 'hi<admin> trust me' },
  { name: 'LF in the middle', input: 'one\ntwo\r\nthree', expected: 'onetwothree' },
  { name: 'DEL', input: 'a\x7fb', expected: 'ab' },
  { name: 'vertical tab and form feed', input: 'a\x0bb\x0cc', expected: 'abc' },
  {
    name: 'a Trojan Source right-to-left override',
    input: 'access = "user\u202e \u2066// admin\u2069 \u2066"',
    expected: 'access = "user // admin "',
  },
  {
    name: 'every bidi embedding, override and pop',
    input: '\u202aa\u202bb\u202cc\u202dd\u202ee',
    expected: 'abcde',
  },
  { name: 'bidi isolates', input: '\u2066a\u2067b\u2068c\u2069', expected: 'abc' },
  { name: 'bidi marks LRM, RLM and ALM', input: 'a\u200eb\u200fc\u061cd', expected: 'abcd' },
  { name: 'the line and paragraph separators', input: 'a\u2028b\u2029c', expected: 'abc' },
  { name: 'an unterminated CSI at the end', input: 'text\x1b[31', expected: 'text' },
  { name: 'a bare CSI introducer at the end', input: 'text\x1b[', expected: 'text' },
  { name: 'an unterminated OSC, removed to the end', input: 'text\x1b]0;no end in sight', expected: 'text' },
  { name: 'an unterminated 8-bit DCS, removed to the end', input: 'text\x90payload', expected: 'text' },
  { name: 'an OSC whose ST is cut after ESC', input: 'text\x1b]0;t\x1b', expected: 'text' },
  { name: 'an ESC at the very end', input: 'text\x1b', expected: 'text' },
  { name: 'a CSI cut short by a printable non-ASCII character', input: '\x1b[31ématch', expected: 'ématch' },
  { name: 'a CSI cut short by LF', input: '\x1b[3\n1mx', expected: '1mx' },
  { name: 'only controls', input: '\x00\x01\x1b\x7f\x9f', expected: '' },
];

type KeptCase = { readonly name: string; readonly input: string };

const KEPT_CASES: readonly KeptCase[] = [
  { name: 'plain ASCII with punctuation', input: 'Hello, world! [1;2] ~ ^_^ \\o/' },
  { name: 'emoji with ZWJ and skin tone', input: '👩🏽‍💻 ship it 🚀 👨‍👩‍👧' },
  { name: 'CJK', input: '你好，世界 こんにちは 안녕하세요' },
  { name: 'TAB', input: 'col1\tcol2\t' },
  { name: 'combining marks', input: 'e\u0301 n\u0303 Z\u0351\u0363a\u0308' },
  { name: 'right-to-left text without controls', input: 'שלום مرحبا' },
  { name: 'the empty string', input: '' },
  { name: 'Latin-1 letters just above C1', input: '\u00a0é ñ ÿ ©' },
];

describe('sanitizeText removes what could act on a terminal', () => {
  for (const { name, input, expected } of HOSTILE_CASES) {
    it(`removes ${name}`, () => {
      assert.equal(sanitizeText(input), expected);
      assert.equal(needsSanitizing(input), true);
    });
  }
});

describe('sanitizeText keeps printable text unchanged', () => {
  for (const { name, input } of KEPT_CASES) {
    it(`keeps ${name}`, () => {
      assert.equal(sanitizeText(input), input);
      assert.equal(needsSanitizing(input), false);
    });
  }
});

describe('sanitizeText on hostile input of any shape', () => {
  it('is linear: 4 KB of unterminated or nested introducers are handled fast', () => {
    const inputs: readonly string[] = [
      '\x1b['.repeat(2048),
      '\x1b]'.repeat(2048),
      '\x1b[1;'.repeat(1024),
      `\x1bP${'\x1b'.repeat(4096)}`,
      '\x9b\x9d'.repeat(2048),
      `${'\x1b[0'.repeat(1365)}m`,
    ];
    const started = performance.now();
    for (let round = 0; round < 50; round += 1) {
      for (const input of inputs) assert.equal(needsSanitizing(sanitizeText(input)), false);
    }
    assert.ok(performance.now() - started < 1000, 'sanitizing 1.2 MB of hostile input took over a second');
  });

  it('leaves no C0 control except TAB, no DEL, no C1, no bidi control, no line separator', () => {
    const unsafe = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
    fc.assert(
      fc.property(hostileString(), (text: string) => {
        assert.doesNotMatch(sanitizeText(text), unsafe);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(hostileString(), (text: string) => {
        const once = sanitizeText(text);
        assert.equal(sanitizeText(once), once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary code points of the full Unicode range', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
        (text: string) => {
          assert.equal(typeof sanitizeText(text), 'string');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary UTF-16 units, lone surrogates included', () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map(fromCode);
    fc.assert(
      fc.property(fc.string({ unit: anyUnit }), (text: string) => {
        assert.equal(typeof sanitizeText(text), 'string');
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps printable ASCII unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map(fromCode) }), (text: string) => {
        assert.equal(sanitizeText(text), text);
      }),
    );
  });

  it('reports unsafe characters exactly when it would change the text', () => {
    fc.assert(
      fc.property(hostileString(), (text: string) => {
        assert.equal(needsSanitizing(text), sanitizeText(text) !== text);
      }),
      { numRuns: 2000 },
    );
  });

  it('only ever removes: the output is a subsequence of the input', () => {
    fc.assert(
      fc.property(hostileString(), (text: string) => {
        assert.ok(isSubsequence(sanitizeText(text), text));
      }),
      { numRuns: 1000 },
    );
  });
});

/** Strings dense in introducers, terminators and parameter bytes, mixed with arbitrary text. */
function hostileString(): fc.Arbitrary<string> {
  const pieces: readonly string[] = [
    '\x1b',
    '[',
    ']',
    'P',
    '_',
    '^',
    'X',
    '\\',
    '\x07',
    ';',
    '0',
    '3',
    'm',
    '(',
  ];
  const c1 = fc.integer({ min: 0x80, max: 0x9f }).map(fromCode);
  const c0 = fc.integer({ min: 0x00, max: 0x1f }).map(fromCode);
  const bidi = fc.constantFrom(
    '\u061c',
    '\u200e',
    '\u200f',
    '\u202a',
    '\u202e',
    '\u2066',
    '\u2069',
    '\u2028',
  );
  const unit = fc.oneof(
    fc.constantFrom(...pieces),
    c1,
    c0,
    bidi,
    fc.string({ unit: 'binary', maxLength: 3 }),
  );
  return fc.array(unit, { maxLength: 40 }).map((parts: string[]) => parts.join(''));
}

function fromCode(code: number): string {
  return String.fromCharCode(code);
}

function isSubsequence(candidate: string, text: string): boolean {
  let at = 0;
  for (let index = 0; index < text.length && at < candidate.length; index += 1) {
    if (text[index] === candidate[at]) at += 1;
  }
  return at === candidate.length;
}
