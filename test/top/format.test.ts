import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskUnsafe } from '../../src/protocol/sanitize.ts';
import { padEnd, padStart, truncate } from '../../src/terminal/fit.ts';
import { displayWidth } from '../../src/terminal/width.ts';
import {
  formatByteRate,
  formatBytes,
  formatCount,
  formatMillis,
  formatRate,
  formatUptime,
} from '../../src/top/format.ts';

describe('numbers for a column', () => {
  it('totals are exact and grouped; rates get shorter as they grow', () => {
    assert.equal(formatCount(1_234_567), '1,234,567');
    assert.equal(formatCount(undefined), '-');
    assert.deepEqual([0, 0.44, 9.96, 12, 1_234, 99_999, 123_456, 12_345_678].map(formatRate), [
      '0',
      '0.4',
      '10',
      '12',
      '1,234',
      '99,999',
      '123.5k',
      '12.3M',
    ]);
  });

  it('bytes in binary units; milliseconds and uptimes readable', () => {
    assert.equal(formatByteRate(512), '512 B/s');
    assert.equal(formatByteRate(1_536), '1.5 KiB/s');
    assert.equal(formatByteRate(5 * 1024 ** 2), '5.0 MiB/s');
    assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
    assert.equal(formatMillis(0.25), '0.3 ms');
    assert.equal(formatMillis(42.4), '42 ms');
    assert.equal(formatMillis(1_500), '1.5 s');
    assert.equal(formatUptime(3_723), '01:02:03');
    assert.equal(formatUptime(2 * 86_400 + 5), '2d 00:00:05');
  });
});

describe('text from the network, in terminal columns', () => {
  it('replaces controls and invisible characters', () => {
    assert.equal(maskUnsafe('a\x1b[2Jb\u202ec'), 'a?[2Jb?c');
  });

  it('counts wide characters as two columns and pads and cuts by columns', () => {
    assert.equal(displayWidth('日本'), 4);
    assert.equal(padEnd('日本', 6), '日本  ');
    assert.equal(padStart('ab', 4), '  ab');
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('日本語', 5), '日本…');
  });

  it('measures, cuts and pads by what a terminal draws: emoji sequences are one character, never split', () => {
    // A skin-tone modifier, a keycap and a ZWJ sequence: 2 columns each, as one grapheme cluster.
    assert.equal(displayWidth('👍🏽'), 2);
    assert.equal(displayWidth('1️⃣'), 2);
    assert.equal(displayWidth('👩‍💻'), 2);
    assert.equal(padEnd('👍🏽', 4), '👍🏽  ');
    assert.equal(padStart('🇫🇷', 3), ' 🇫🇷');
    assert.equal(truncate('👩‍💻👩‍💻x', 4), '👩‍💻…');
    assert.equal(truncate('a👩‍💻b', 3), 'a…');
  });
});
