/**
 * Relays of one cluster for end-to-end tests: real `udpchat relay --cluster` processes on one real
 * redis-server (test/cluster/support/redis-server.ts), each with its node id and JSON logs on stdout, so a
 * test can await the bus's state changes ("cluster degraded", "cluster connected").
 */
import type { TestContext } from 'node:test';
import type { RedisServer } from '../../cluster/support/redis-server.ts';
import { type RunningRelay, startRelay } from './relay-process.ts';

export interface ClusterRelay extends RunningRelay {
  readonly nodeId: string;
  /** The /metrics URL's origin (`http://127.0.0.1:P`) when started with metrics, else null. */
  readonly http: string | null;
}

export interface ClusterRelayOptions {
  /** Serve /metrics and /healthz on a free port. */
  readonly metrics?: boolean;
  readonly extra?: readonly string[];
}

export async function clusterRelay(
  t: TestContext,
  redis: RedisServer,
  nodeId: string,
  options: ClusterRelayOptions = {},
): Promise<ClusterRelay> {
  const metrics = options.metrics === true ? ['--metrics', '127.0.0.1:0'] : [];
  const relay = await startRelay(t, [
    '--cluster',
    redis.url(),
    '--node-id',
    nodeId,
    '--log-format',
    'json',
    ...metrics,
    ...(options.extra ?? []),
  ]);
  let http: string | null = null;
  if (options.metrics === true) {
    const line = await relay.process.waitForLine(/^metrics on http:\/\//);
    http = new URL(line.slice('metrics on '.length)).origin;
  }
  return { ...relay, nodeId, http };
}

/** Where the relay's output is now: a later `waitForLog` sees only what comes after it. */
export function outputMark(relay: RunningRelay): number {
  return relay.process.stdout.items.length;
}

/** Awaits a log record with this message written after `from` (see outputMark). */
export function waitForLog(
  relay: RunningRelay,
  message: string,
  from: number,
  timeoutMs = 10_000,
): Promise<string> {
  return relay.process.waitForLine((line) => line.includes(`"msg":"${message}"`), { from, timeoutMs });
}

/** GET /healthz: the status and the body. */
export async function healthz(relay: ClusterRelay): Promise<{ status: number; body: string }> {
  if (relay.http === null) throw new Error(`${relay.nodeId} was started without --metrics`);
  const response = await fetch(`${relay.http}/healthz`);
  return { status: response.status, body: await response.text() };
}
