/**
 * The cluster bus's own rules on the import graph: the bus logic and the in-process back end (everything
 * under src/cluster/ but redis/) run on injected timers and clock and import no I/O module and no driver,
 * so the same code is tested with a manual clock; only src/cluster/redis/ imports the Redis driver.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildImportGraph, type SourceText } from './import-graph.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(): SourceText[] {
  return readdirSync(`${REPO_ROOT}src`, { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry.endsWith('.ts') && !entry.endsWith('.d.ts'))
    .map((entry) => {
      const path = `src/${entry.replaceAll('\\', '/')}`;
      return { path, text: readFileSync(`${REPO_ROOT}${path}`, 'utf8') };
    });
}

const graph = buildImportGraph(sources());
const isBusLogic = (path: string): boolean =>
  path.startsWith('src/cluster/') && !path.startsWith('src/cluster/redis/');
/** What the bus logic may import outside src/cluster/: the core's types and two pure helpers of the store. */
const ALLOWED = [
  /^src\/relay\//,
  /^src\/protocol\//,
  /^src\/cluster\/(?!redis\/)/,
  /^src\/store\/(scheduler|history-query)\.ts$/,
];

describe('the cluster bus in the import graph', () => {
  it('finds the bus logic, the in-process back end and the Redis one', () => {
    assert.ok(graph.files.some((file) => file.startsWith('src/cluster/node/')));
    assert.ok(graph.files.some((file) => file.startsWith('src/cluster/memory/')));
    assert.ok(graph.files.some((file) => file.startsWith('src/cluster/redis/')));
  });

  it('keeps drivers, I/O modules and the Redis back end out of the bus logic', () => {
    const found = graph.edges
      .filter((edge) => isBusLogic(edge.from))
      .filter((edge) => (edge.target === null ? true : !ALLOWED.some((rule) => rule.test(edge.target ?? ''))))
      .map((edge) => `${edge.from}:${edge.line}: imports ${edge.specifier}`);
    assert.deepEqual(found, []);
  });

  it('keeps the ambient clock and timers out of the bus logic', () => {
    const found = graph.ambient
      .filter((use) => isBusLogic(use.path))
      .map((use) => `${use.path}:${use.line}: ${use.message}`);
    assert.deepEqual(found, []);
  });

  it('imports the Redis driver only from src/cluster/redis/', () => {
    const found = graph.edges
      .filter((edge) => edge.specifier === 'ioredis' && !edge.from.startsWith('src/cluster/redis/'))
      .map((edge) => `${edge.from}:${edge.line}`);
    assert.deepEqual(found, []);
    assert.ok(graph.edges.some((edge) => edge.specifier === 'ioredis'));
  });
});
