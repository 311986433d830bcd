/** A fresh directory per test file under the system's temporary directory, removed at the end. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class TempDir {
  readonly path: string;
  private files = 0;

  constructor(prefix: string) {
    this.path = mkdtempSync(join(tmpdir(), `udpchat-${prefix}-`));
  }

  /** A path for a new file in the directory (the file itself is not made). */
  file(name = 'store'): string {
    this.files += 1;
    return join(this.path, `${name}-${this.files}.db`);
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
