/** The session's jitter numbers drawn from the v2 layer's byte source. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fractionSource } from '../../src/client/random-fraction.ts';

describe('fractionSource', () => {
  test('maps the smallest and largest draws to 0 and just below 1', () => {
    assert.equal(fractionSource((n) => new Uint8Array(n))(), 0);
    const top = fractionSource((n) => new Uint8Array(n).fill(0xff))();
    assert.ok(top < 1 && top > 1 - 2 ** -40, String(top));
  });

  test('reads the bytes big-endian, so each draw is its own number', () => {
    const draws = [
      [0x80, 0, 0, 0, 0, 0],
      [0x40, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 1],
    ];
    const next = fractionSource((n) => Uint8Array.from(draws.shift() ?? new Array<number>(n).fill(0)));
    assert.deepEqual([next(), next(), next()], [0.5, 0.25, 2 ** -48]);
  });

  test('a source that returns the wrong number of bytes is a wiring bug and throws', () => {
    assert.throws(() => fractionSource(() => new Uint8Array(2))(), RangeError);
  });
});
