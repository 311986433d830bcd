/**
 * One definition of an unsafe character (protocol/sanitize.ts), and every place that shows or accepts
 * text from someone else holding to it: the trace escapes it, the pretty log escapes it, `udpchat top`
 * masks it, a nickname refuses it, and sanitizeText removes the part of it that acts on a terminal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatPrettyLine } from '../../src/observability/logger-pretty.ts';
import { checkNick } from '../../src/protocol/nick.ts';
import { containsUnsafe, maskUnsafe, needsSanitizing, sanitizeText } from '../../src/protocol/sanitize.ts';
import { escapeForDisplay } from '../../src/protocol/trace-format.ts';

/** Any code points (lone surrogates included) with the unsafe ones made frequent. */
function anyText(): fc.Arbitrary<string> {
  const unsafe = fc.constantFrom(
    '\x00',
    '\t',
    '\n',
    '\x1b',
    '\x7f',
    '\x9b',
    '\u00ad',
    '\u061c',
    '\u200b',
    '\u200d',
    '\u202e',
    '\u2028',
    '\u2066',
    '\ufeff',
    '\ud800',
    '\udfff',
    '\ue000',
    '\u{e0041}',
    '\u{f0000}',
    '\u{10ffff}',
  );
  const unit = fc.oneof(fc.string({ unit: 'binary', maxLength: 1 }), unsafe);
  return fc.array(unit, { maxLength: 24 }).map((pieces) => pieces.join(''));
}

const codePoints = (text: string): number => [...text].length;

describe('one definition of unsafe text', () => {
  it('covers everything sanitizeText removes (every UTF-16 unit, checked one by one)', () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      const char = String.fromCharCode(unit);
      if (needsSanitizing(char)) assert.ok(containsUnsafe(char), `U+${unit.toString(16)}`);
    }
  });

  it('is wider than what a chat line loses: joiners, the BOM, private use and tags are kept in lines', () => {
    for (const char of ['\u200d', '\u200c', '\u200b', '\ufeff', '\u00ad', '\ue000', '\u{e0041}']) {
      assert.ok(containsUnsafe(char), escapeForDisplay(char));
      assert.equal(sanitizeText(`a${char}b`), `a${char}b`);
    }
    assert.equal(sanitizeText('👩‍💻 at work'), '👩‍💻 at work');
  });

  it('the trace escapes every unsafe character, by name, as \\xNN or as \\u{...}', () => {
    assert.equal(escapeForDisplay('a\tb\n'), 'a\\tb\\n');
    assert.equal(escapeForDisplay('\x1b[2J\x9b'), '\\x1b[2J\\x9b');
    assert.equal(escapeForDisplay('\u202eevil\u200b'), '\\u{202e}evil\\u{200b}');
    assert.equal(escapeForDisplay('soft\u00adhyphen \u{e0041}tag'), 'soft\\u{ad}hyphen \\u{e0041}tag');
    assert.equal(escapeForDisplay('back\\slash'), 'back\\\\slash');
    fc.assert(
      fc.property(anyText(), (text) => {
        assert.equal(containsUnsafe(escapeForDisplay(text)), false);
      }),
      { numRuns: 1000 },
    );
  });

  it('the pretty log escapes every unsafe character, in the message and in the fields', () => {
    assert.ok(formatPrettyLine(JSON.stringify({ level: 'info', msg: 'x\u200dy' })).endsWith('x\\u200dy'));
    fc.assert(
      fc.property(anyText(), (text) => {
        const line = formatPrettyLine(JSON.stringify({ level: 'info', time: 0, msg: text, value: text }));
        assert.equal(containsUnsafe(line), false, line);
      }),
      { numRuns: 1000 },
    );
  });

  it('top masks every unsafe character with one ? each, so a measured layout still holds', () => {
    assert.equal(maskUnsafe('a\u{e0041}b\ud800c'), 'a?b?c');
    fc.assert(
      fc.property(anyText(), (text) => {
        const masked = maskUnsafe(text);
        assert.equal(containsUnsafe(masked), false);
        assert.equal(codePoints(masked), codePoints(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('a nickname with an unsafe character is refused', () => {
    fc.assert(
      fc.property(anyText(), (text) => {
        if (containsUnsafe(text)) assert.equal(checkNick(text).ok, false, escapeForDisplay(text));
      }),
      { numRuns: 1000 },
    );
  });
});
