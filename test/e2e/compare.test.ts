/**
 * `udpchat compare` as a real process, small: the chaos model (runs anywhere) and, as root with ip and
 * iptables, the network namespace model, which must leave no namespace behind.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { netnsUnavailable } from '../../src/compare/netns.ts';
import { CliProcess } from './support/cli-process.ts';

const SMALL = ['--clients', '2', '--lines', '5', '--rate', '50', '--idle-clients', '3', '--dead-after', '1s'];

function outDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'udpchat-compare-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function namespaces(): string[] {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return listed.split('\n').filter((line) => line.startsWith('udpchat-cmp-'));
}

async function compare(t: TestContext, extra: readonly string[]): Promise<{ table: string; svg: string }> {
  const dir = outDir(t);
  const out = join(dir, 'chart.svg');
  const child = CliProcess.cli(['compare', ...SMALL, '--out', out, ...extra], { name: 'compare' });
  t.after(() => child.stop());
  const status = await child.waitForExit(120_000);
  assert.equal(status.code, 0, child.stderr.items.join('\n'));
  return { table: child.stdoutText, svg: readFileSync(out, 'utf8') };
}

describe('udpchat compare', () => {
  test('through the chaos proxies: a row per transport, the model named, a chart', async (t) => {
    const { table, svg } = await compare(t, ['--fault-model', 'chaos', '--loss', '0']);
    assert.match(table, /^fault model: chaos: UDP through the chaos proxy/m);
    for (const name of ['UDP v1', 'UDP v2', 'TCP', 'WebSocket'])
      assert.match(table, new RegExp(`^${name} +10/10 `, 'm'), table);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /a client vanishes: noticed after/);
  });

  test('with real loss in a network namespace, deleted afterwards', {
    skip: netnsUnavailable() ?? false,
  }, async (t) => {
    const before = namespaces();
    const { table } = await compare(t, [
      '--fault-model',
      'netns',
      '--loss',
      '2%',
      '--transports',
      'udp-v1,tcp',
    ]);
    assert.match(table, /^fault model: netns: a network namespace whose loopback drops 2%/m);
    assert.match(table, /^TCP +10\/10 /m, 'TCP repairs every loss');
    assert.deepEqual(namespaces(), before);
  });
});
