/**
 * The architecture rules as code, for test/architecture/imports.test.ts: every TypeScript file is parsed
 * (the compiler's parser, so comments and strings are never mistaken for code), its imports become the
 * edges of a graph, and the graph is checked for
 * - cycles: Tarjan's strongly connected components, type-only edges included (a type-only cycle still
 *   means two files that cannot be understood, or moved, one without the other);
 * - the sans-I/O core (STYLE.md, "the protocol has no sockets"): nothing under src/protocol, src/relay,
 *   src/client or src/session imports an I/O or driver module or a binding folder, or reads an ambient
 *   clock or randomness; the bindings hand those in.
 * It works on in-memory sources, so its own test can feed it a small synthetic graph and watch it fail.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

export interface SourceText {
  /** Relative to the repository, with forward slashes, e.g. `src/relay/relay.ts`. */
  readonly path: string;
  readonly text: string;
}

export interface ImportEdge {
  readonly from: string;
  readonly specifier: string;
  /** The imported file for a relative specifier that names one of the sources; null otherwise. */
  readonly target: string | null;
  readonly typeOnly: boolean;
  readonly line: number;
}

export interface Finding {
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

export interface ImportGraph {
  readonly files: readonly string[];
  readonly edges: readonly ImportEdge[];
  /** Ambient clock or randomness uses, per file (checked only where the rules say). */
  readonly ambient: readonly Finding[];
}

/** The sans-I/O core. */
export const PURE_FOLDERS: readonly string[] = [
  'src/protocol',
  'src/relay',
  'src/client',
  'src/session',
  'src/lan',
];

/**
 * What the core may import besides itself. node:crypto is computation (hashes, AEAD, X25519); the
 * confusables table is data. Anything else, a Node module or a package, must be added here with a reason.
 */
const PURE_MODULES: ReadonlySet<string> = new Set(['node:crypto', 'unicode-confusables']);

/** Named in the message when the core imports one of them; any other module not in PURE_MODULES fails too. */
const IO_MODULES: ReadonlySet<string> = new Set([
  'node:dgram',
  'node:net',
  'node:dns',
  'node:fs',
  'node:http',
  'node:https',
  'node:http2',
  'node:tls',
  'node:perf_hooks',
  'node:child_process',
  'node:os',
  'node:worker_threads',
  'node:module',
  'node:timers',
  'node:process',
  'node:readline',
  'node:tty',
  'node:cluster',
  'pino',
  'prom-client',
  'smol-toml',
  'ws',
  'ioredis',
  'redis',
  'better-sqlite3',
  'sql.js',
  'nats',
]);

/** Globals that read a clock, schedule on one, or reach the process. */
const AMBIENT_GLOBALS: ReadonlySet<string> = new Set([
  'performance',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'process',
]);

/** Objects the ambient globals can also be reached through (`globalThis.setTimeout`). */
const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(['globalThis', 'global']);

export function buildImportGraph(sources: readonly SourceText[]): ImportGraph {
  const files = sources.map((source) => source.path).sort();
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  const ambient: Finding[] = [];
  for (const source of sources) {
    const file = ts.createSourceFile(
      source.path,
      source.text,
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.TS,
    );
    visit(file, (node) => {
      const found = importOf(node);
      if (found !== null) {
        edges.push({
          from: source.path,
          specifier: found.specifier,
          target: resolve(source.path, found.specifier, known),
          typeOnly: found.typeOnly,
          line: lineOf(file, node),
        });
      }
      const use = ambientUse(node);
      if (use !== null) ambient.push({ path: source.path, line: lineOf(file, node), message: use });
    });
  }
  return { files, edges, ambient };
}

/** Every cycle, one per strongly connected component, each as a path that returns to its start. */
export function findCycles(graph: ImportGraph): string[][] {
  const next = adjacency(graph);
  return stronglyConnected(graph.files, next)
    .filter(
      (component) =>
        component.length > 1 || (next.get(component[0] ?? '') ?? []).includes(component[0] ?? ''),
    )
    .map((component) => cycleWithin(component, next));
}

/** Imports the core must not have: I/O and driver modules, binding folders, anything outside src/. */
export function forbiddenImports(graph: ImportGraph): Finding[] {
  const findings: Finding[] = [];
  for (const edge of graph.edges) {
    if (!isPure(edge.from)) continue;
    const problem = importProblem(edge);
    if (problem !== null) findings.push({ path: edge.from, line: edge.line, message: problem });
  }
  return findings;
}

/** Ambient clock, timer, process or randomness uses in the core. */
export function ambientUses(graph: ImportGraph): Finding[] {
  return graph.ambient.filter((finding) => isPure(finding.path));
}

/** Relative imports that name no source file (a typo, or a file that moved). */
export function unresolvedImports(graph: ImportGraph): Finding[] {
  return graph.edges
    .filter((edge) => isRelative(edge.specifier) && edge.target === null && edge.specifier.endsWith('.ts'))
    .map((edge) => ({
      path: edge.from,
      line: edge.line,
      message: `imports ${edge.specifier}, no such file`,
    }));
}

export function describeFinding(finding: Finding): string {
  return `${finding.path}:${finding.line}: ${finding.message}`;
}

function visit(node: ts.Node, action: (node: ts.Node) => void): void {
  action(node);
  ts.forEachChild(node, (child) => visit(child, action));
}

function lineOf(file: ts.SourceFile, node: ts.Node): number {
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

interface FoundImport {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/** `import ... from`, `export ... from`, `import('x')` and the type `import('x').T`. */
function importOf(node: ts.Node): FoundImport | null {
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
    return { specifier: node.moduleSpecifier.text, typeOnly: isTypeOnlyImport(node.importClause) };
  }
  if (
    ts.isExportDeclaration(node) &&
    node.moduleSpecifier !== undefined &&
    ts.isStringLiteral(node.moduleSpecifier)
  ) {
    return { specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly };
  }
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const [argument] = node.arguments;
    if (argument !== undefined && ts.isStringLiteralLike(argument))
      return { specifier: argument.text, typeOnly: false };
  }
  if (
    ts.isImportTypeNode(node) &&
    ts.isLiteralTypeNode(node.argument) &&
    ts.isStringLiteral(node.argument.literal)
  ) {
    return { specifier: node.argument.literal.text, typeOnly: true };
  }
  return null;
}

function isTypeOnlyImport(clause: ts.ImportClause | undefined): boolean {
  if (clause === undefined) return false; // `import './x.ts'` runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  if (clause.name !== undefined || bindings === undefined || !ts.isNamedImports(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../');
}

/** A relative specifier as a repository path; `.js` also finds the `.ts` it is compiled from. */
function resolve(from: string, specifier: string, known: ReadonlySet<string>): string | null {
  if (!isRelative(specifier)) return null;
  const path = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (known.has(path)) return path;
  const asTs = path.replace(/\.js$/, '.ts');
  return known.has(asTs) ? asTs : null;
}

function isPure(path: string): boolean {
  return PURE_FOLDERS.some((folder) => path.startsWith(`${folder}/`));
}

function importProblem(edge: ImportEdge): string | null {
  if (isRelative(edge.specifier)) {
    const path = posix.normalize(posix.join(posix.dirname(edge.from), edge.specifier));
    if (isPure(path)) return null;
    const folder = /^src\/([^/]+)\//.exec(path)?.[1];
    return folder === undefined
      ? `imports ${edge.specifier}, outside the core`
      : `imports ${edge.specifier}, from the binding folder src/${folder}/`;
  }
  const name = moduleName(edge.specifier);
  if (PURE_MODULES.has(name)) return null;
  if (IO_MODULES.has(name)) return `imports ${edge.specifier}, an I/O or driver module`;
  return `imports ${edge.specifier}, which is not on the core's list of pure modules`;
}

/** `node:fs/promises` -> `node:fs`, `fs` -> `node:fs`, `@scope/pkg/sub` -> `@scope/pkg`, `pkg/data.json` -> `pkg`. */
function moduleName(specifier: string): string {
  const bare = specifier.replace(/^node:/, '');
  const parts = bare.split('/');
  const name = bare.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return specifier.startsWith('node:') || builtinModules.includes(name) ? `node:${name}` : name;
}

/** A description of the ambient use `node` is, or null. */
function ambientUse(node: ts.Node): string | null {
  if (insideType(node)) return null;
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const owner = node.expression.text;
    const member = node.name.text;
    if (owner === 'Date' && member === 'now') return 'reads the clock (Date.now)';
    if (owner === 'Math' && member === 'random') return 'draws ambient randomness (Math.random)';
    if (GLOBAL_OBJECTS.has(owner) && AMBIENT_GLOBALS.has(member)) return `uses ${owner}.${member}`;
  }
  if (
    ts.isNewExpression(node) &&
    isIdentifierNamed(node.expression, 'Date') &&
    (node.arguments ?? []).length === 0
  ) {
    return 'reads the clock (new Date())';
  }
  if (ts.isCallExpression(node) && isIdentifierNamed(node.expression, 'Date'))
    return 'reads the clock (Date())';
  if (ts.isIdentifier(node) && AMBIENT_GLOBALS.has(node.text) && isReference(node)) {
    return `uses ${node.text}`;
  }
  return null;
}

function isIdentifierNamed(node: ts.Node, name: string): boolean {
  return ts.isIdentifier(node) && node.text === name;
}

/** An identifier used as a value, not a property or member name, nor a declaration's name. */
function isReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === id;
  if (ts.isQualifiedName(parent)) return parent.left === id;
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent)) return false;
  const named = parent as ts.Node & { readonly name?: ts.Node };
  return named.name !== id;
}

function insideType(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current !== undefined; current = current.parent) {
    if (ts.isTypeNode(current)) return true;
    if (ts.isStatement(current)) return false;
  }
  return false;
}

function adjacency(graph: ImportGraph): Map<string, string[]> {
  const next = new Map<string, string[]>(graph.files.map((file) => [file, []]));
  for (const edge of graph.edges) {
    if (edge.target === null) continue;
    const targets = next.get(edge.from) ?? [];
    if (!targets.includes(edge.target)) targets.push(edge.target);
    next.set(edge.from, targets);
  }
  return next;
}

/** Tarjan (1972): the strongly connected components, each found once, in one depth-first pass. */
function stronglyConnected(
  nodes: readonly string[],
  next: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    components.push(component.sort());
  };
  for (const node of nodes) if (!index.has(node)) connect(node);
  return components;
}

/** A shortest path from the component's first file back to it, staying inside the component. */
function cycleWithin(component: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] {
  const inside = new Set(component);
  const start = component[0] ?? '';
  const cameFrom = new Map<string, string>();
  const queue: string[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] ?? '';
    for (const target of next.get(node) ?? []) {
      if (!inside.has(target)) continue;
      if (target === start) return [...pathTo(node, cameFrom, start), start];
      if (cameFrom.has(target)) continue;
      cameFrom.set(target, node);
      queue.push(target);
    }
  }
  return [...component, start];
}

function pathTo(node: string, cameFrom: ReadonlyMap<string, string>, start: string): string[] {
  const path = [node];
  for (let current = node; current !== start; ) {
    current = cameFrom.get(current) ?? start;
    path.unshift(current);
  }
  return path;
}
