/**
 * The comparison's network: a namespace of its own (named per run, so runs never share one), whose
 * loopback drops each packet with probability P (iptables' statistic match: the kernel here has no
 * netem). The relay and every client run inside it, on 127.0.0.1 as everywhere else in the project, so
 * real packets are lost and TCP's retransmissions and v2's repairs are the real ones. The namespace, and
 * the rules with it, is deleted when the run ends, however it ends.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { CompareTransport } from './settings.ts';

/** Why the namespace model cannot run here, or null when it can. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  for (const tool of ['ip', 'iptables'])
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error !== undefined) return `no ${tool}`;
  return null;
}

export function namespaceName(): string {
  return `udpchat-cmp-${process.pid}-${randomBytes(3).toString('hex')}`;
}

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed: ${(result.stderr ?? result.error?.message ?? '').trim()}`,
    );
}

/** Creates the namespace with its lossy loopback. */
export function createLossyNamespace(name: string, loss: number): void {
  run('ip', ['netns', 'add', name]);
  try {
    run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    if (loss > 0)
      run('ip', [
        'netns',
        'exec',
        name,
        'iptables',
        '-A',
        'INPUT',
        '-i',
        'lo',
        '-m',
        'statistic',
        '--mode',
        'random',
        '--probability',
        String(loss),
        '-j',
        'DROP',
      ]);
  } catch (error) {
    deleteNamespace(name);
    throw error;
  }
}

export function deleteNamespace(name: string): void {
  spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
}

/** Runs `argv` inside the namespace with our stdout and stderr; resolves with its exit code. */
export function runInside(name: string, argv: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', name, ...argv], { stdio: ['ignore', 'inherit', 'inherit'] });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === null ? 1 : 128));
    });
  });
}

/**
 * Inside the namespace: every packet to or from one client's port is dropped, as if its cable were
 * pulled; returns the undo. The rules go first in the chain, before the random loss.
 */
export async function cutOffPort(transport: CompareTransport, port: number): Promise<() => Promise<void>> {
  const protocol = transport === 'udp-v1' || transport === 'udp-v2' ? 'udp' : 'tcp';
  const rules = [
    ['INPUT', '-p', protocol, '--sport', String(port), '-j', 'DROP'],
    ['INPUT', '-p', protocol, '--dport', String(port), '-j', 'DROP'],
  ];
  for (const rule of rules) run('iptables', ['-I', ...rule]);
  return async () => {
    for (const rule of rules) spawnSync('iptables', ['-D', ...rule], { stdio: 'ignore' });
  };
}
