/**
 * One kill of a `bench --failover N` run. Active and idle v2 clients join the cluster's oldest relay, an
 * observer joins another; the active ones talk at a person's pace. Once every client holds a ticket (its
 * `/ticket` acknowledged) the relay is killed with SIGKILL and each client's time from the kill to its
 * `moved` event is taken; then every line a relay acknowledged must have reached the observer exactly
 * once, and every line carried over the move at least once.
 */
import { ChatClient } from '../../client-host/chat-client.ts';
import { type ClientRole, FailoverClient } from './failover-client.ts';
import type { ClusterMember, FailoverCluster } from './failover-cluster.ts';
import { StateSignal } from './state-signal.ts';

/** A person's pace: one line every 400 ms per active client, well under the relay's flood limits. */
export const PACE_MS = 400;
const JOIN_TIMEOUT_MS = 15_000;
/** A move that has not happened in this long counts as a failed resumption. */
const MOVE_TIMEOUT_MS = 20_000;
const DELIVERY_TIMEOUT_MS = 10_000;
/** Lines each active client has acknowledged before the kill, so the kill falls amid traffic. */
const ACKED_BEFORE_KILL = 2;
/** Lines each active client says on its new relay before the round is judged. */
const LINES_AFTER_MOVE = 2;

export interface RoundPlan {
  readonly round: number;
  readonly active: number;
  readonly idle: number;
}

export interface RoundResult {
  readonly round: number;
  readonly killed: string;
  /** Kill to `moved` (resumed) per client, ms; failed moves are left out and counted below. */
  readonly activeMs: readonly number[];
  readonly idleMs: readonly number[];
  /** Clients that did not resume: no move in time, every relay refused, or a plain join instead. */
  readonly failed: number;
  readonly failures: readonly string[];
  /** Lines a relay acknowledged; lost: never shown to the observer; repeated: shown more than once. */
  readonly acknowledged: number;
  readonly lost: number;
  readonly repeated: number;
  /**
   * Lines carried over the move (held while moving, or not acknowledged by the relay killed and said again
   * on the new one); lost: never shown to the observer (the client must say them again); shown twice:
   * allowed, as the relay killed may have relayed one before acknowledging it.
   */
  readonly carriedOver: number;
  readonly carriedOverLost: number;
  readonly carriedOverShownTwice: number;
}

export async function runRound(cluster: FailoverCluster, plan: RoundPlan): Promise<RoundResult> {
  const [victim, ...survivors] = cluster.members;
  const [watchPoint] = survivors;
  if (victim === undefined || watchPoint === undefined) throw new Error('a failover round needs two relays');
  const signal = new StateSignal();
  const heard = new Map<string, number>();
  const observer = await ChatClient.connect({
    nick: `watch${plan.round}`,
    host: watchPoint.relay.host,
    port: watchPoint.relay.port,
    protocol: 'v2',
  });
  observer.on('welcome', () => signal.poke());
  observer.on('chat', (e) => {
    heard.set(e.text, (heard.get(e.text) ?? 0) + 1);
    signal.poke();
  });
  const clients: FailoverClient[] = [];
  let pacer: NodeJS.Timeout | undefined;
  try {
    for (const [role, count] of [
      ['active', plan.active],
      ['idle', plan.idle],
    ] as const)
      for (let i = 1; i <= count; i++)
        clients.push(await connectClient(plan, role, i, victim, survivors, signal));
    const joined = await signal.until(
      () => observer.state === 'joined' && clients.every((c) => c.joined),
      JOIN_TIMEOUT_MS,
    );
    if (!joined)
      throw new Error(`round ${plan.round}: the clients did not all join in ${JOIN_TIMEOUT_MS} ms`);
    const active = clients.filter((c) => c.role === 'active');
    pacer = setInterval(() => {
      for (const c of active) c.sayNext();
    }, PACE_MS);
    // Lines, not acknowledgements: the client's `/ticket` requests are acknowledged too.
    const talking = await signal.until(
      () =>
        active.every((c) => c.acknowledged().length >= ACKED_BEFORE_KILL) &&
        clients.every((c) => c.ticketAsked),
      JOIN_TIMEOUT_MS,
    );
    if (!talking)
      throw new Error(
        `round ${plan.round}: the relay did not acknowledge ${ACKED_BEFORE_KILL} lines of each talker`,
      );
    // A random phase between two lines, so the kill does not always fall just after one.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * PACE_MS));
    cluster.kill(victim);
    const killedAt = performance.now();
    await cluster.remove(victim);
    await signal.until(() => clients.every((c) => c.settled), MOVE_TIMEOUT_MS);
    await signal.until(
      () => active.every((c) => c.said.filter((s) => s.afterMove).length >= LINES_AFTER_MOVE || !c.move),
      LINES_AFTER_MOVE * PACE_MS + DELIVERY_TIMEOUT_MS,
    );
    clearInterval(pacer);
    pacer = undefined;
    // Every line said must reach the observer: the acknowledged ones and the ones carried over the move.
    await signal.until(
      () => active.every((c) => c.newRelayCaughtUp() && c.said.every((s) => heard.has(s.text))),
      DELIVERY_TIMEOUT_MS,
    );
    return judge(plan, victim.nodeId, clients, killedAt, active, heard);
  } finally {
    if (pacer !== undefined) clearInterval(pacer);
    await Promise.all([...clients.map((c) => c.stop()), stopObserver(observer)]);
  }
}

function connectClient(
  plan: RoundPlan,
  role: ClientRole,
  index: number,
  victim: ClusterMember,
  survivors: readonly ClusterMember[],
  signal: StateSignal,
): Promise<FailoverClient> {
  const nick = `${role === 'active' ? 'talk' : 'idle'}${plan.round}x${index}`;
  return FailoverClient.connect(
    nick,
    role,
    victim.relay,
    survivors.map((s) => s.relay),
    signal,
  );
}

function judge(
  plan: RoundPlan,
  killed: string,
  clients: readonly FailoverClient[],
  killedAt: number,
  active: readonly FailoverClient[],
  heard: ReadonlyMap<string, number>,
): RoundResult {
  const activeMs: number[] = [];
  const idleMs: number[] = [];
  const failures: string[] = [];
  for (const c of clients) {
    const nick = c.client.nick;
    if (c.move === undefined)
      failures.push(c.moveFailed ? `${nick}: every relay refused` : `${nick}: ${noMoveReason(c)}`);
    else if (!c.move.resumed)
      failures.push(`${nick}: joined without resuming (${c.move.refused ?? 'no ticket'})`);
    else (c.role === 'active' ? activeMs : idleMs).push(c.move.at - killedAt);
  }
  // Acknowledged texts are recomputed here: acknowledgements kept arriving while the round settled.
  const acknowledged = active.flatMap((c) => c.acknowledged());
  const carriedOver = active.flatMap((c) => c.carriedOver());
  return {
    round: plan.round,
    killed,
    activeMs,
    idleMs,
    failed: failures.length,
    failures,
    acknowledged: acknowledged.length,
    lost: acknowledged.filter((t) => !heard.has(t)).length,
    repeated: acknowledged.filter((t) => (heard.get(t) ?? 0) > 1).length,
    carriedOver: carriedOver.length,
    carriedOverLost: carriedOver.filter((t) => !heard.has(t)).length,
    carriedOverShownTwice: carriedOver.filter((t) => (heard.get(t) ?? 0) > 1).length,
  };
}

/** What a client that neither moved nor gave up was doing, for the report. */
function noMoveReason(c: FailoverClient): string {
  const refusal = c.refusal === undefined ? '' : `: ${JSON.stringify(c.refusal)}`;
  const notices =
    c.noticesWhileMoving.length > 0 ? `; relay said ${JSON.stringify(c.noticesWhileMoving)}` : '';
  const began = c.moveBegan ? 'moving' : 'never began';
  return `no move in ${MOVE_TIMEOUT_MS} ms (${began}, session ${c.client.state}${refusal}${notices})`;
}

async function stopObserver(observer: ChatClient): Promise<void> {
  if (observer.state === 'joined') await observer.leave().catch(() => undefined);
  await observer.close();
}
