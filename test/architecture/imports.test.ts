/**
 * The repository's own import graph against the architecture rules (see import-graph.ts): no import
 * cycle anywhere under src/, and a sans-I/O core that imports no I/O, driver or binding module and reads
 * no ambient clock, timer, process or randomness.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ambientUses,
  buildImportGraph,
  describeFinding,
  findCycles,
  forbiddenImports,
  type SourceText,
  unresolvedImports,
} from './import-graph.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourcesUnder(folder: string): SourceText[] {
  const entries = readdirSync(`${REPO_ROOT}${folder}`, { recursive: true, encoding: 'utf8' });
  return entries
    .filter((entry) => entry.endsWith('.ts') && !entry.endsWith('.d.ts'))
    .map((entry) => {
      const path = `${folder}/${entry.replaceAll('\\', '/')}`;
      return { path, text: readFileSync(`${REPO_ROOT}${path}`, 'utf8') };
    });
}

const graph = buildImportGraph(sourcesUnder('src'));

describe('the import graph of src/', () => {
  it('is read whole: every file, every relative import resolved', () => {
    assert.ok(graph.files.length > 150, `${graph.files.length} files`);
    assert.ok(graph.edges.length > graph.files.length, `${graph.edges.length} imports`);
    assert.deepEqual(unresolvedImports(graph).map(describeFinding), []);
  });

  it('has no import cycle, type-only imports included', () => {
    const cycles = findCycles(graph).map((cycle) => cycle.join(' -> '));
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n')}`);
  });

  it('keeps I/O, drivers and bindings out of protocol/, relay/, client/, session/ and lan/', () => {
    const found = forbiddenImports(graph).map(describeFinding);
    assert.deepEqual(found, [], found.join('\n'));
  });

  it('bundles no Node module into the web client: src/web/app.ts and everything it runs import none', () => {
    const reached = new Set<string>(['src/web/app.ts']);
    const found: string[] = [];
    for (let queue = ['src/web/app.ts']; queue.length > 0; ) {
      const from = queue.pop() ?? '';
      for (const edge of graph.edges) {
        if (edge.from !== from || edge.typeOnly) continue;
        if (edge.target === null) {
          if (edge.specifier.startsWith('node:') || builtinModules.includes(edge.specifier))
            found.push(`${edge.from}:${edge.line}: imports ${edge.specifier}`);
        } else if (!reached.has(edge.target)) {
          reached.add(edge.target);
          queue.push(edge.target);
        }
      }
    }
    assert.ok(reached.has('src/client/session.ts'), 'the web client runs the same ClientSession');
    assert.deepEqual(found, [], found.join('\n'));
  });

  it('keeps the ambient clock, timers, process and randomness out of the same folders', () => {
    const found = ambientUses(graph).map(describeFinding);
    assert.deepEqual(found, [], found.join('\n'));
  });
});
