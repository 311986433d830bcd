/**
 * Runs the relay core's `check-secret` tasks (an authenticated /join) off the receive loop and reports each
 * verdict back: the core asked, this binding answers through `report`.
 */
import type { CheckSecretTask } from '../relay/output.ts';
import { type VerifySecret, verifySecret } from '../store/secret-hash.ts';

export type CheckReport = (id: number, ok: boolean) => void;

/**
 * Runs one task and reports its verdict later (never synchronously: the relay keeps serving meanwhile).
 * Injected into DatagramRouter so an in-memory relay can answer on its own clock.
 */
export type TaskRunner = (task: CheckSecretTask, report: CheckReport) => void;

/** scrypt on the thread pool (store/secret-hash.ts); not awaited. */
export const runOnThreadPool: TaskRunner = (task, report) => {
  void checkTasks([task], report);
};

/**
 * Runs every `check-secret` task and reports each id exactly once; a check that fails for any reason is
 * reported as a wrong secret. Resolves when all have been reported (the server does not wait; tests do).
 */
export async function checkTasks(
  tasks: readonly CheckSecretTask[],
  report: CheckReport,
  verify: VerifySecret = verifySecret,
): Promise<void> {
  await Promise.all(tasks.map((task) => checkOne(task, report, verify)));
}

async function checkOne(task: CheckSecretTask, report: CheckReport, verify: VerifySecret): Promise<void> {
  const ok = await verify(task.secret, task.record.credential).catch(() => false);
  report(task.id, ok);
}
