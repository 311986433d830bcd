import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roomVectors } from './room-vectors.ts';
import { formatVector, specVectors } from './spec-vectors.ts';
import { type VectorValue, wire3Vectors } from './wire3-vectors.ts';

/** Every computed vector is quoted in the spec with exactly this value. */
function assertQuoted(computed: Map<string, VectorValue>, quoted: Map<string, VectorValue>): void {
  for (const [name, value] of computed) {
    assert.deepEqual(quoted.get(name), value, `the spec should quote\n${formatVector(name, value)}`);
  }
}

describe('the spec’s test vectors are what the code computes', () => {
  it('the handshake, the derived keys and the protected datagrams', () => {
    assertQuoted(wire3Vectors(), specVectors());
  });

  it('the end-to-end room key and line', async () => {
    assertQuoted(await roomVectors(), specVectors());
  });

  it('the spec quotes no vector the code does not compute', async () => {
    const computed = new Set([...wire3Vectors().keys(), ...(await roomVectors()).keys()]);
    for (const name of specVectors().keys())
      assert.ok(computed.has(name), `the spec quotes an unchecked vector: ${name}`);
  });

  it('the reader takes hex over several lines and JSON strings, and refuses what it cannot read', () => {
    const text = [
      '```vectors',
      'a: 00ff',
      'b long:',
      '  0102',
      '  0304',
      'c: "x y"',
      '```',
      'd: ignored',
    ].join('\n');
    assert.deepEqual(
      [...specVectors(text)],
      [
        ['a', { hex: '00ff' }],
        ['b long', { hex: '01020304' }],
        ['c', { text: 'x y' }],
      ],
    );
    assert.throws(() => specVectors('```vectors\nNot A Vector\n```'));
    assert.throws(() => specVectors('```vectors\na: 00\na: 01\n```'));
  });
});
