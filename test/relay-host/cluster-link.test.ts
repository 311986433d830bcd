/**
 * ClusterLink, the relay host's binding of the core to a cluster bus, on the in-process bus (a MemoryHub:
 * the same bus logic a Redis cluster runs): a v2 acknowledgement waits until the bus applied the lines it
 * covers, in ticket order, and stops waiting when the bus goes away (the relay then serves alone); what the
 * bus hears reaches the core only after `attach` (what it heard before is held for it), and never inside
 * the core's own call.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { memoryClusterBus } from '../../src/cluster/memory/memory-bus.ts';
import { MemoryHub } from '../../src/cluster/memory/memory-hub.ts';
import type { ClusterBus } from '../../src/relay/cluster-bus.ts';
import type { RelaySink } from '../../src/relay/output.ts';
import { Relay } from '../../src/relay/relay.ts';
import type { RoomLineInput } from '../../src/relay/store.ts';
import { ClusterLink } from '../../src/relay-host/cluster-link.ts';
import { nodeScheduler, systemClock } from '../../src/store/scheduler.ts';

const LINE: RoomLineInput = {
  roomKey: '#lobby',
  roomName: '#lobby',
  at: 1,
  kind: 'say',
  nick: 'ann',
  text: 'hi',
};
const WAIT_MS = 5_000;

/** The real bus, with its `publishLine` answers held until the test lets them go (a slow server). */
function slowPublishes(bus: ClusterBus): { bus: ClusterBus; release: () => void } {
  const held: (() => void)[] = [];
  const slow = new Proxy(bus, {
    get(target, property) {
      if (property === 'publishLine') {
        return (line: RoomLineInput) => {
          const applied = target.publishLine(line);
          return new Promise((resolve) => held.push(() => resolve(applied)));
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const release = (): void => {
    for (const go of held.splice(0)) go();
  };
  return { bus: slow, release };
}

async function started(t: TestContext): Promise<{ hub: MemoryHub; link: ClusterLink; release: () => void }> {
  const hub = new MemoryHub({ scheduler: nodeScheduler, clock: systemClock });
  const real = memoryClusterBus(hub, {
    nodeId: 'a',
    instance: randomUUID(),
    scheduler: nodeScheduler,
    clock: systemClock,
    readBlockMs: 100,
    maxRetryMs: 100,
  });
  const { bus, release } = slowPublishes(real);
  const link = new ClusterLink(bus);
  await bus.start(link.listener);
  t.after(async () => {
    release();
    await real.close();
  });
  const relay = new Relay({ clusterNode: 'a' }, 0);
  const sink: RelaySink = { transmit() {}, event() {}, task() {} };
  link.attach(relay, (call) => call(0, sink));
  return { hub, link, release };
}

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire = (): void => {};
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${WAIT_MS} ms`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('ClusterLink', () => {
  it('releases an acknowledgement only once the bus applied every line it covers, in order', async (t) => {
    const { link, release } = await started(t);
    link.act({ type: 'line', line: LINE });
    link.act({ type: 'line', line: { ...LINE, text: 'again' } });
    assert.equal(link.lastTicket, 2);
    const order: number[] = [];
    const second = signal();
    link.after(1, () => order.push(1));
    link.after(2, () => {
      order.push(2);
      second.fire();
    });
    // Turns of the event loop pass, the bus has the lines, but its answers are held: nothing is released.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, []);
    release();
    await within(second.promise, 'no release after the bus answered');
    assert.deepEqual(order, [1, 2]);
  });

  it('stops holding acknowledgements when the bus goes away: the relay serves its clients alone', async (t) => {
    const { hub, link } = await started(t);
    assert.equal(link.holding, true);
    link.act({ type: 'line', line: LINE });
    const released = signal();
    link.after(link.lastTicket, () => released.fire());
    hub.setReachable(false);
    await within(released.promise, 'still held while the bus is away');
    assert.equal(link.holding, false);
    assert.equal(link.status().state, 'degraded');
  });

  it('holds what the bus heard before attach (the rooms’ state read at hello) for the core, which serves with it', async (t) => {
    const hub = new MemoryHub({ scheduler: nodeScheduler, clock: systemClock });
    const options = (nodeId: string) => ({
      nodeId,
      instance: randomUUID(),
      scheduler: nodeScheduler,
      clock: systemClock,
      readBlockMs: 100,
      maxRetryMs: 100,
    });
    const b = memoryClusterBus(hub, options('b'));
    const a = memoryClusterBus(hub, options('a'));
    t.after(async () => {
      await a.close();
      await b.close();
    });
    await b.start({ event() {}, status() {}, fatal() {} });
    await b.announceRoom('#den', 'olga', { type: 'topic', topic: 'set before a started' });
    const link = new ClusterLink(a);
    await a.start(link.listener);
    // Several turns of the event loop pass before the relay is attached: nothing may be lost meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const relay = new Relay({ clusterNode: 'a' }, 0);
    const heard: string[] = [];
    let wake = (): void => {};
    const sink: RelaySink = {
      transmit: (_to, payload) => {
        heard.push(new TextDecoder().decode(payload));
        wake();
      },
      event() {},
      task() {},
      cluster: (action) => link.act(action),
    };
    link.attach(relay, (call) => call(0, sink));
    const until = (text: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not heard: ${text} (${heard.join('')})`)), WAIT_MS);
        wake = () => {
          if (!heard.includes(text)) return;
          clearTimeout(timer);
          resolve();
        };
        wake();
      });
    const ann = { host: '127.0.0.1', port: 40001 };
    const say = (text: string) => relay.handleInto(0, ann, new TextEncoder().encode(text), sink);
    say('/join ann\n');
    await until('*** welcome, ann ***\n');
    say('/join #den\n');
    say('/topic #den\n');
    await until('[#den] *** topic: set before a started ***\n');
  });
});
