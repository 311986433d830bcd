import assert from 'node:assert/strict';
import type { AckInfo } from '../../../src/protocol/v2/frames.ts';
import { type ReliableOptions, resolveReliableOptions } from '../../../src/session/reliable/options.ts';
import { RttEstimator } from '../../../src/session/reliable/rtt-estimator.ts';
import { SendBuffer } from '../../../src/session/reliable/send-buffer.ts';

/** Helpers for driving a SendBuffer by hand. */

export const FULL = 1161;

export function makeBuffer(options: Partial<ReliableOptions> = {}): {
  buffer: SendBuffer;
  rtt: RttEstimator;
} {
  const resolved = resolveReliableOptions(options);
  const rtt = new RttEstimator(resolved);
  return { buffer: new SendBuffer(resolved, rtt), rtt };
}

export function enqueue(buffer: SendBuffer, count: number): void {
  for (let i = 0; i < count; i += 1) assert.equal(buffer.enqueue(`line ${i}`).ok, true);
}

export function seqs(buffer: SendBuffer, now: number, budget = FULL): number[] {
  return buffer.takeLines(now, budget).map((frame) => frame.seq);
}

/** An ack with `next` and the bitmap bits for `held` (absolute line numbers). */
export function ack(next: number, held: readonly number[] = []): AckInfo {
  let bitmap = 0;
  for (const seq of held) bitmap |= 1 << (seq - next - 1);
  return { next, bitmap: bitmap >>> 0 };
}
