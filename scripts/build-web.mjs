// Builds the web client into dist/web/: one ES module bundle (esbuild, the browser's own platform: a Node
// module anywhere in its imports fails the build) and the static files beside it. No CDN: the relay serves
// everything the page needs from dist/web/.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = `${root}dist/web`;
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [`${root}src/web/app.ts`],
  outfile: `${out}/app.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const name of readdirSync(`${root}src/web/static`))
  copyFileSync(`${root}src/web/static/${name}`, `${out}/${name}`);
