/**
 * `npm install`'s step for the optional native addon (native/sendmmsg: batched sends, sender threads and
 * the bench's batched receive). It never fails the install: when the addon cannot be built (not Linux, no
 * compiler, no Node headers, no node-gyp), it says so in one line and the JavaScript paths are used. npm runs this with its own node-gyp on PATH and in
 * `npm_config_node_gyp`; `nodedir` comes from the npm config (node-gyp then needs no download).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const directory = join(dirname(fileURLToPath(import.meta.url)), 'sendmmsg');

function skip(reason) {
  console.log(`udpchat: native sendmmsg addon not built (${reason}); using the JavaScript send path`);
  process.exit(0);
}

/** npm's bundled node-gyp: from the lifecycle environment, else next to the npm that runs this node. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  return candidates.find((path) => path && existsSync(path));
}

try {
  if (process.env.UDPCHAT_NATIVE === 'off') skip('UDPCHAT_NATIVE=off');
  if (process.platform !== 'linux') skip(`sendmmsg is Linux-only, this is ${process.platform}`);
  const gyp = nodeGyp();
  const [command, args] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
  // Outside npm (no npm_config_nodedir), the headers installed beside this node spare node-gyp a download.
  const prefix = join(dirname(process.execPath), '..');
  if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
    args.push(`--nodedir=${prefix}`);
  }
  const result = spawnSync(command, [...args, 'rebuild', '--directory', directory], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) skip(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const lines = `${result.stderr}\n${result.stdout}`.split('\n').filter((line) => /error/i.test(line));
    skip(lines[0]?.trim() || `node-gyp exited with ${result.status ?? result.signal}`);
  }
  if (!existsSync(join(directory, 'build', 'Release', 'sendmmsg.node')))
    skip('node-gyp produced no sendmmsg.node');
  console.log('udpchat: native sendmmsg addon built');
} catch (error) {
  skip(error instanceof Error ? error.message : String(error));
}
