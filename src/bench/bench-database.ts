/** A fresh database file for one series of `bench --store db`, in a temporary directory removed after it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RelayChoice } from './options.ts';

export class BenchDatabase {
  private constructor(
    private readonly dir: string,
    readonly path: string,
  ) {}

  static async make(): Promise<BenchDatabase> {
    const dir = await mkdtemp(join(tmpdir(), 'udpchat-bench-db-'));
    return new BenchDatabase(dir, join(dir, 'relay.db'));
  }

  /** The spawned relay, told to keep everything in this file. */
  relayChoice(choice: RelayChoice): RelayChoice {
    if (choice.kind !== 'spawn') return choice;
    return { kind: 'spawn', extraArgs: [...choice.extraArgs, '--db', this.path] };
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}
