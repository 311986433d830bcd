/**
 * The bench worker's datagram sorter on the lines a v1 relay sends and on the tagged lines a v2 session
 * carries (`@msgid=…;time=… <nick> b …`): both count as the same receipts; anything else is not a receipt.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StepPlan } from '../../src/bench/messages.ts';
import { formatBenchLine } from '../../src/bench/model/line-format.ts';
import { BenchClock } from '../../src/bench/worker/clock.ts';
import { DatagramSorter } from '../../src/bench/worker/datagram-sorter.ts';

const TAGS = '@msgid=7;time=2026-12-04T18:00:00.000Z';

function sorterAtStep(step: number): { sorter: DatagramSorter; clock: BenchClock; welcomed: number[] } {
  const welcomed: number[] = [];
  const sorter = new DatagramSorter({ welcomed: (local) => welcomed.push(local) });
  const clock = BenchClock.startingNow();
  const plan: StepPlan = {
    step,
    epochNs: clock.epoch,
    startUs: 0,
    durationMs: 1_000,
    linesPerSecond: 10,
    firstSender: 0,
    senderCount: 2,
    totalSenders: 2,
    maxSeq: 10,
  };
  sorter.beginStep(plan, 3, clock);
  return { sorter, clock, welcomed };
}

function relayed(nick: string, step: number, sender: number, seq: number, sentUs: number): string {
  return `<${nick}> ${formatBenchLine({ step, sender, seq, sentUs })}`;
}

describe('DatagramSorter', () => {
  it('counts a tagged v2 line as it counts the same line untagged', () => {
    const { sorter, clock } = sorterAtStep(3);
    const now = Math.floor(clock.nowUs());
    sorter.sort(2, Buffer.from(relayed('n0', 3, 0, 0, now)));
    sorter.sort(2, Buffer.from(`${TAGS} ${relayed('n1', 3, 1, 0, now)}`));
    const { receipts, stray } = sorter.endStep();
    assert.equal(receipts.onTime + receipts.late, 2);
    assert.equal(receipts.duplicates, 0);
    assert.equal(stray, 0);
  });

  it('a tagged line of another step is a straggler, and a tagged notice or a bare @ is no receipt', () => {
    const { sorter, clock, welcomed } = sorterAtStep(3);
    const now = Math.floor(clock.nowUs());
    sorter.sort(1, Buffer.from(`${TAGS} ${relayed('n0', 2, 0, 0, now)}`));
    sorter.sort(1, Buffer.from(`${TAGS} *** n4 joined ***\n`));
    sorter.sort(1, Buffer.from('@'));
    sorter.sort(1, Buffer.from(`${TAGS}`));
    sorter.sort(0, Buffer.from('*** welcome, n0 ***\n'));
    const { receipts, stray } = sorter.endStep();
    assert.equal(receipts.onTime + receipts.late, 0);
    assert.equal(stray, 1);
    assert.deepEqual(welcomed, [0]);
    assert.equal(sorter.busyDatagrams, 5);
  });
});
