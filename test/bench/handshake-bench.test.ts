import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatHandshakeBench, runHandshakeBench } from '../../src/bench/handshake/handshake-bench.ts';
import { CliProcess } from '../e2e/support/cli-process.ts';

describe('bench --handshakes: the cost of a protected-v2 handshake', () => {
  it('completes every handshake against the real relay endpoint and times the relay apart', () => {
    const result = runHandshakeBench({ mode: 'handshakes', handshakes: 20, json: false });
    assert.equal(result.handshakes, 20);
    assert.ok(result.relayAcceptUs > 0 && result.relayRetryUs > 0 && result.clientAcceptUs > 0);
    assert.ok(result.relayAcceptUs > result.relayRetryUs, 'an ACCEPT (keys, proof) costs more than a RETRY');
    assert.equal(
      Math.round(result.relayHandshakesPerSecond),
      Math.round(1e6 / (result.relayAcceptUs + result.relayRetryUs)),
    );
    assert.match(formatHandshakeBench(result), /relay handshakes per second per core: \d+/);
  });

  it('from the command line, with --json; another flag beside it is a usage error', async () => {
    const run = CliProcess.cli(['bench', '--handshakes', '5', '--json'], { name: 'bench' });
    assert.deepEqual(await run.waitForExit(), { code: 0, signal: null });
    assert.equal((JSON.parse(run.stdoutText) as { handshakes: number }).handshakes, 5);
    const bad = CliProcess.cli(['bench', '--handshakes', '5', '--clients', '3'], { name: 'bad' });
    assert.equal((await bad.waitForExit()).code, 2);
    assert.match(bad.stderr.items.join('\n'), /--clients does not go with --handshakes/);
  });
});
