/** The rules of import-graph.ts on small synthetic sources: each one fails where it should, and only there. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ambientUses,
  buildImportGraph,
  describeFinding,
  findCycles,
  forbiddenImports,
  unresolvedImports,
} from './import-graph.ts';

const source = (path: string, ...lines: string[]) => ({ path, text: lines.join('\n') });

describe('the import-graph rules', () => {
  it('finds a cycle, through a type-only import too, and names its files in order', () => {
    const graph = buildImportGraph([
      source('src/relay/a.ts', "import { b } from './b.ts';"),
      source('src/relay/b.ts', "export { c } from './c.ts';"),
      source('src/relay/c.ts', "import type { A } from './a.ts';", 'export const c = 1;'),
      source('src/relay/d.ts', "import { a } from './a.ts';"),
      source('src/tui/self.ts', "const self = await import('./self.ts');"),
    ]);
    assert.deepEqual(findCycles(graph), [
      ['src/relay/a.ts', 'src/relay/b.ts', 'src/relay/c.ts', 'src/relay/a.ts'],
      ['src/tui/self.ts', 'src/tui/self.ts'],
    ]);
  });

  it('finds no cycle in a graph without one (a diamond, an import type)', () => {
    const graph = buildImportGraph([
      source('src/a.ts', "import './b.ts';", "import type { C } from './c.ts';"),
      source('src/b.ts', "import { d } from './d.js';"),
      source('src/c.ts', "type T = import('./d.ts').D;"),
      source('src/d.ts', 'export const d = 1;'),
    ]);
    assert.deepEqual(findCycles(graph), []);
    assert.equal(graph.edges.filter((edge) => edge.target === 'src/d.ts').length, 2);
  });

  it('refuses I/O modules, drivers, unknown packages and binding folders in the core, not elsewhere', () => {
    const graph = buildImportGraph([
      source(
        'src/relay/bad.ts',
        "import dgram from 'node:dgram';",
        "import { readFile } from 'fs/promises';",
        "import type { Logger } from 'pino';",
        "import { something } from 'left-pad';",
        "import { UdpEndpoint } from '../transport/udp.ts';",
        "import { version } from '../../package.json' with { type: 'json' };",
        "import { createHash } from 'node:crypto';",
        "import { wire } from '../protocol/messages.ts';",
      ),
      source('src/relay-host/fine.ts', "import dgram from 'node:dgram';", "import '../relay/bad.ts';"),
    ]);
    assert.deepEqual(forbiddenImports(graph).map(describeFinding), [
      'src/relay/bad.ts:1: imports node:dgram, an I/O or driver module',
      'src/relay/bad.ts:2: imports fs/promises, an I/O or driver module',
      'src/relay/bad.ts:3: imports pino, an I/O or driver module',
      "src/relay/bad.ts:4: imports left-pad, which is not on the core's list of pure modules",
      'src/relay/bad.ts:5: imports ../transport/udp.ts, from the binding folder src/transport/',
      'src/relay/bad.ts:6: imports ../../package.json, outside the core',
    ]);
  });

  it('refuses the ambient clock, timers, process and randomness in the core, in code but not in comments or strings', () => {
    const graph = buildImportGraph([
      source(
        'src/client/bad.ts',
        '// Date.now() and Math.random() in a comment are fine,',
        "const text = 'and so is setTimeout in a string';",
        'const at = Date.now();',
        'const roll = Math.random();',
        'const today = new Date();',
        'const parsed = new Date(at);',
        'setTimeout(() => {}, 10);',
        'const env = process.env.HOME;',
        'const timer = globalThis.setInterval;',
        'const tick = performance.now();',
        'const options = { setTimeout: 1, process: 2 };',
        'type Timer = ReturnType<typeof setTimeout>;',
        'options.process;',
      ),
      source('src/cli/fine.ts', 'const at = Date.now();'),
    ]);
    assert.deepEqual(ambientUses(graph).map(describeFinding), [
      'src/client/bad.ts:3: reads the clock (Date.now)',
      'src/client/bad.ts:4: draws ambient randomness (Math.random)',
      'src/client/bad.ts:5: reads the clock (new Date())',
      'src/client/bad.ts:7: uses setTimeout',
      'src/client/bad.ts:8: uses process',
      'src/client/bad.ts:9: uses globalThis.setInterval',
      'src/client/bad.ts:10: uses performance',
    ]);
  });

  it('reports a relative import of a file that does not exist', () => {
    const graph = buildImportGraph([source('src/protocol/a.ts', "import { gone } from './gone.ts';")]);
    assert.deepEqual(unresolvedImports(graph).map(describeFinding), [
      'src/protocol/a.ts:1: imports ./gone.ts, no such file',
    ]);
  });
});
