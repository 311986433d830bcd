/**
 * Sends one worker's share of a step's lines: its senders take turns (line k goes to sender k mod m, as
 * that sender's line k div m), paced by a Pacer on a 1 ms timer. Each line is stamped with the clock
 * just before its send, so the measured latency excludes time the line spent waiting for its turn.
 */

import type { SendReport, StepPlan } from '../messages.ts';
import { formatBenchLine } from '../model/line-format.ts';
import { Pacer } from '../model/pacer.ts';
import type { BenchClock } from './clock.ts';
import type { Fleet } from './fleet.ts';

const TICK_MS = 1;

export function sendStep(fleet: Fleet, clock: BenchClock, plan: StepPlan): Promise<SendReport> {
  const pacer = new Pacer(plan.startUs, plan.linesPerSecond, plan.durationMs);
  const errorsBefore = fleet.sendErrors;
  const senders = plan.senderCount;
  return new Promise((resolve) => {
    const tick = (): void => {
      const from = pacer.sent;
      const count = senders > 0 ? pacer.take(clock.nowUs()) : 0;
      for (let line = from; line < from + count; line++) {
        const local = line % senders;
        const text = formatBenchLine({
          step: plan.step,
          sender: plan.firstSender + local,
          seq: Math.floor(line / senders),
          sentUs: Math.floor(clock.nowUs()),
        });
        fleet.send(local, text);
      }
      if (pacer.done || senders === 0) {
        resolve({
          linesSent: pacer.sent,
          linesPlanned: pacer.total,
          maxLagUs: pacer.maxLagUs,
          sendErrors: fleet.sendErrors - errorsBefore,
        });
        return;
      }
      setTimeout(tick, delayUntilNext(pacer, clock));
    };
    setTimeout(tick, Math.max(0, (plan.startUs - clock.nowUs()) / 1000));
  });
}

/** Sleeps until the next line is due, but at least one tick (timers have 1 ms resolution). */
function delayUntilNext(pacer: Pacer, clock: BenchClock): number {
  const waitMs = (pacer.dueAt(pacer.sent) - clock.nowUs()) / 1000;
  return Math.max(TICK_MS, Math.floor(waitMs));
}
