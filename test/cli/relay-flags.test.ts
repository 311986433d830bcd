/** `udpchat relay --send-threads`: a count, or `auto` (one sender thread per core beyond the event loop's). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandLine } from '../../src/cli/flag-parser.ts';
import { autoSendThreads, hostSettingsFromFlags, RELAY_FLAGS } from '../../src/cli/relay-flags.ts';
import { UsageError } from '../../src/cli/usage-error.ts';

function threads(args: readonly string[], cores: number): number {
  return hostSettingsFromFlags(parseCommandLine({ name: 'relay', flags: RELAY_FLAGS }, args), false, cores)
    .sendThreads;
}

describe('--send-threads', () => {
  test('auto takes every core but the event loop, none on one core, at most 16', () => {
    assert.deepEqual([1, 2, 4, 64].map(autoSendThreads), [0, 1, 3, 16]);
    assert.equal(threads(['--send-threads', 'auto'], 2), 1);
    assert.equal(threads(['--send-threads', 'auto'], 1), 0);
  });

  test('a count is taken as it is, whatever the cores; the default is 0', () => {
    assert.equal(threads(['--send-threads', '3'], 2), 3);
    assert.equal(threads([], 8), 0);
  });

  test('anything else is refused with the flag named', () => {
    assert.throws(
      () => threads(['--send-threads', 'many'], 2),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message === '--send-threads must be auto or a whole number from 0 to 16, got "many"',
    );
  });
});
