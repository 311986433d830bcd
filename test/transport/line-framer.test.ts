/** Newline framing of a TCP byte stream: whatever the reads' split points, the same lines come out. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LineFramer } from '../../src/transport/line-framer.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Framed {
  readonly lines: string[];
  readonly overlong: number[];
  maxHeld: number;
}

function frame(max: number, chunks: readonly Uint8Array[]): Framed {
  const framer = new LineFramer(max);
  const out: Framed = { lines: [], overlong: [], maxHeld: 0 };
  const sink = {
    line: (bytes: Uint8Array) => out.lines.push(decoder.decode(bytes)),
    overlong: (bytes: number) => out.overlong.push(bytes),
  };
  for (const chunk of chunks) {
    framer.feed(chunk, sink);
    out.maxHeld = Math.max(out.maxHeld, framer.holding);
  }
  return out;
}

/** `bytes` cut at the given points (sorted, deduplicated, inside the array). */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(at, point));
    at = point;
  }
  return chunks;
}

describe('LineFramer', () => {
  it('hands on each whole line without its newline, several per read', () => {
    const out = frame(100, [encoder.encode('/join alice\nhello\nwor'), encoder.encode('ld\n')]);
    assert.deepEqual(out.lines, ['/join alice', 'hello', 'world']);
    assert.deepEqual(out.overlong, []);
  });

  it('joins a line that arrives one byte per read', () => {
    const bytes = encoder.encode('héllo wörld ✓\n');
    const out = frame(
      100,
      [...bytes].map((byte) => Uint8Array.of(byte)),
    );
    assert.deepEqual(out.lines, ['héllo wörld ✓']);
  });

  it('keeps an unfinished line until its newline comes', () => {
    const framer = new LineFramer(100);
    const lines: string[] = [];
    const sink = { line: (b: Uint8Array) => lines.push(decoder.decode(b)), overlong: () => {} };
    framer.feed(encoder.encode('no newline yet'), sink);
    assert.deepEqual(lines, []);
    assert.equal(framer.holding, 14);
    assert.equal(framer.midLine, true);
    framer.feed(encoder.encode('\n'), sink);
    assert.deepEqual(lines, ['no newline yet']);
    assert.equal(framer.midLine, false);
  });

  it('refuses a line over the limit once, drops the rest of it, and goes on with the next line', () => {
    const giant = 'x'.repeat(10_000);
    const out = frame(4100, split(encoder.encode(`${giant}\nafter\n`), [1000, 3000, 5000, 9000]));
    assert.deepEqual(out.lines, ['after']);
    assert.equal(out.overlong.length, 1);
    assert.ok((out.overlong[0] ?? 0) > 4100);
    assert.ok(out.maxHeld <= 4100, `held ${out.maxHeld}`);
  });

  it('never holds more than its limit, however long a line without a newline goes on', () => {
    const framer = new LineFramer(4100);
    let overlong = 0;
    const sink = { line: () => assert.fail('no line ends'), overlong: () => overlong++ };
    const chunk = new Uint8Array(65_536).fill(0x41);
    for (let i = 0; i < 100; i++) {
      framer.feed(chunk, sink);
      assert.ok(framer.holding <= 4100);
    }
    assert.equal(overlong, 1);
    assert.equal(framer.midLine, true);
  });

  it('a line of exactly the limit passes; one byte more does not', () => {
    const out = frame(10, [encoder.encode(`${'a'.repeat(10)}\n${'b'.repeat(11)}\nc\n`)]);
    assert.deepEqual(out.lines, ['a'.repeat(10), 'c']);
    assert.deepEqual(out.overlong, [11]);
  });

  it('property: any split of a stream of lines gives the lines back, in order, long ones refused', () => {
    const line = fc.oneof(
      { weight: 5, arbitrary: fc.string({ maxLength: 60 }).map((text) => text.replaceAll('\n', ' ')) },
      { weight: 1, arbitrary: fc.integer({ min: 61, max: 300 }).map((n) => 'z'.repeat(n)) },
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 40 }), (lines, cuts) => {
        const bytes = encoder.encode(lines.map((text) => `${text}\n`).join(''));
        const out = frame(64, split(bytes, cuts));
        const fits = lines.filter((text) => encoder.encode(text).length <= 64);
        assert.deepEqual(out.lines, fits);
        assert.equal(out.overlong.length, lines.length - fits.length);
        assert.ok(out.maxHeld <= 64);
      }),
      { numRuns: 300 },
    );
  });
});
