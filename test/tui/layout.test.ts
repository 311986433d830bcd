/** Display widths and wrapping: CJK, emoji, combining marks and long lines never break the layout. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { clusterWidth, displayWidth, graphemes } from '../../src/terminal/width.ts';
import { fitRow, padRow, wrap } from '../../src/tui/screen/layout.ts';
import { rowText, span } from '../../src/tui/screen/styled.ts';

describe('display width', () => {
  test('ASCII is 1, CJK and emoji are 2, combining marks and joiners 0', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('王様'), 4);
    assert.equal(displayWidth('한국어'), 6);
    assert.equal(displayWidth('😀'), 2);
    assert.equal(displayWidth('e\u0301'), 1, 'e + combining acute is one column');
    assert.equal(displayWidth('\u200d'), 0);
  });

  test('a flag and an emoji-presentation symbol are one wide cluster', () => {
    assert.deepEqual(graphemes('🇫🇷'), ['🇫🇷']);
    assert.equal(clusterWidth('🇫🇷'), 2);
    assert.equal(clusterWidth('❤\ufe0f'), 2);
    assert.equal(clusterWidth('❤'), 1);
  });

  test('a family emoji (ZWJ sequence) is one cluster, two columns', () => {
    assert.equal(graphemes('👨‍👩‍👧').length, 1);
    assert.equal(displayWidth('👨‍👩‍👧'), 2);
  });
});

describe('wrap', () => {
  const text = (rows: ReturnType<typeof wrap>): string[] => rows.map(rowText);

  test('breaks after a space and indents continuation rows', () => {
    assert.deepEqual(text(wrap([span('<bob> one two three four')], 14, 6)), [
      '<bob> one two',
      '      three',
      '      four',
    ]);
  });

  test('a word longer than the row is cut where the row ends', () => {
    assert.deepEqual(text(wrap([span('abcdefghij')], 4)), ['abcd', 'efgh', 'ij']);
  });

  test('a wide character never straddles the edge: it moves to the next row whole', () => {
    const rows = wrap([span('ab王様')], 5);
    assert.deepEqual(text(rows), ['ab王', '様']);
    assert.equal(rows[0]?.length, 4, 'two narrow cells and one wide glyph (two cells)');
  });

  test('the indent is at most half the width, so a narrow terminal still shows text', () => {
    const rows = text(wrap([span('12:00 <someone> hello there world')], 10, 16));
    assert.ok(
      rows.slice(1).every((row) => row.startsWith('     ') && !row.startsWith('      ')),
      rows.join('|'),
    );
  });

  test('no row is ever wider than the width, whatever the text (property)', () => {
    const pieces = fc.constantFrom('a', ' ', '王', '😀', 'e\u0301', '🇫🇷', '-', '\t', 'ｱ');
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 80 }),
        fc.integer({ min: 4, max: 40 }),
        fc.nat(30),
        (parts, width, indent) => {
          const rows = wrap([span(parts.join(''))], width, indent);
          for (const row of rows) assert.ok(row.length <= width, `${row.length} > ${width}`);
          const kept = rows.map(rowText).join('').replaceAll(' ', '');
          assert.equal(kept, parts.join('').replaceAll(/[\t ]/g, ''), 'no character is lost');
        },
      ),
    );
  });
});

describe('one row', () => {
  test('fitRow pads short text and ends long text with …', () => {
    assert.equal(rowText(fitRow([span('abc')], 6)), 'abc   ');
    assert.equal(rowText(fitRow([span('abcdefgh')], 6)), 'abcde…');
    assert.equal(fitRow([span('王様王様')], 5).length, 5);
  });

  test('padRow cutting through a wide character blanks its first half', () => {
    const row = fitRow([span('a王')], 3);
    assert.equal(rowText(padRow(row, 2)), 'a ');
  });
});
