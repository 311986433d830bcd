import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type BenchLine, formatBenchLine, parseRelayedBenchLine } from '../../src/bench/model/line-format.ts';

function relayed(nick: string, text: string): Buffer {
  return Buffer.from(`<${nick}> ${text}`);
}

function parse(bytes: Uint8Array): BenchLine | undefined {
  const out: BenchLine = { step: -1, sender: -1, seq: -1, sentUs: -1 };
  return parseRelayedBenchLine(bytes, out) ? out : undefined;
}

describe('bench lines', () => {
  it('a line as relayed (<nick> text) gives back its step, sender, sequence and time', () => {
    const line = { step: 3, sender: 17, seq: 942, sentUs: 12_345_678 };
    assert.equal(formatBenchLine(line), 'b 3 17 942 12345678\n');
    assert.deepEqual(parse(relayed('n42', formatBenchLine(line))), line);
  });

  it('round-trips any fields', () => {
    const field = fc.integer({ min: 0, max: 999_999_999_999_999 });
    fc.assert(
      fc.property(field, field, field, field, (step, sender, seq, sentUs) => {
        const line = { step, sender, seq, sentUs };
        assert.deepEqual(parse(relayed('n1', formatBenchLine(line))), line);
      }),
    );
  });

  it('accepts the line with a CRLF or no line end', () => {
    assert.deepEqual(parse(relayed('a', 'b 1 2 3 4')), { step: 1, sender: 2, seq: 3, sentUs: 4 });
    assert.deepEqual(parse(relayed('a', 'b 1 2 3 4\r\n')), { step: 1, sender: 2, seq: 3, sentUs: 4 });
  });

  it('ignores notices, pongs, other chat and damaged lines', () => {
    for (const text of [
      '*** n1 joined ***\n',
      '/pong\n',
      '<alice> hello\n',
      '<alice> b 1 2 3\n',
      '<alice> b 1 2 3 4 5\n',
      '<alice> b 1 x 3 4\n',
      '<alice> b  1 2 3 4\n',
      '<alice> c 1 2 3 4\n',
      '[#room] <alice> hello\n',
      '<alice> b 1 2 3 1234567890123456\n',
    ])
      assert.equal(parse(Buffer.from(text)), undefined, text);
  });
});
