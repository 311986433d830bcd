import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchOptionsFromArgs } from '../../src/cli/bench-flags.ts';
import { UsageError } from '../../src/cli/usage-error.ts';

/** Flag values by name, typed after `udpchat bench` as `--name=value`; `true` is a switch. */
type BenchFlagValues = Readonly<Record<string, string | true>>;

function parse(values: BenchFlagValues) {
  const args = Object.entries(values).map(([name, value]) =>
    value === true ? `--${name}` : `--${name}=${value}`,
  );
  return benchOptionsFromArgs(args, 2);
}

function refused(values: BenchFlagValues, message: RegExp): void {
  assert.throws(
    () => parse(values),
    (e: unknown) => e instanceof UsageError && message.test(e.message),
  );
}

describe('bench options', () => {
  it('a traffic run with defaults', () => {
    assert.deepEqual(parse({ spawn: true }), {
      mode: 'traffic',
      relay: { kind: 'spawn', extraArgs: [] },
      receive: 'auto',
      transports: ['udp'],
      stores: ['memory'],
      relays: [1],
      clients: [10],
      senders: undefined,
      rate: 100,
      durationMs: 10_000,
      workers: 2,
      sweep: false,
      out: 'bench-sweep',
      json: false,
    });
  });

  it('--transport: a list of series for traffic, one transport for an idle run', () => {
    const traffic = parse({ spawn: true, transport: 'udp,tcp,ws' });
    assert.equal(traffic.mode, 'traffic');
    assert.deepEqual(traffic.mode === 'traffic' ? traffic.transports : [], ['udp', 'tcp', 'ws']);
    const idle = parse({ spawn: true, 'idle-clients': '10', transport: 'ws' });
    assert.equal(idle.mode === 'idle' ? idle.transport : '', 'ws');
    refused({ spawn: true, 'idle-clients': '10', transport: 'udp,tcp' }, /one --transport at a time/);
    refused({ spawn: true, transport: 'sctp' }, /--transport/);
  });

  it('--transport v2: protected-v2 clients, in a list beside v1 or alone, but never on a cluster', () => {
    const traffic = parse({ spawn: true, transport: 'udp,v2' });
    assert.deepEqual(traffic.mode === 'traffic' ? traffic.transports : [], ['udp', 'v2']);
    const idle = parse({ spawn: true, 'idle-clients': '10', transport: 'v2' });
    assert.equal(idle.mode === 'idle' ? idle.transport : '', 'v2');
    refused({ spawn: true, relays: '2', transport: 'udp,v2' }, /UDP clients on relays without --db/);
    refused({ spawn: true, transport: 'v3' }, /--transport/);
  });

  it('reads every traffic flag', () => {
    const o = parse({
      relay: '127.0.0.1:9999',
      'relay-pid': '123',
      clients: '100',
      senders: '5',
      rate: '2500.5',
      duration: '1.5',
      workers: '3',
      receive: 'node',
      json: true,
    });
    assert.equal(o.mode, 'traffic');
    if (o.mode !== 'traffic') return;
    assert.deepEqual(o.relay, { kind: 'external', host: '127.0.0.1', port: 9999, pid: 123 });
    assert.deepEqual(o.clients, [100]);
    assert.equal(o.senders, 5);
    assert.equal(o.rate, 2500.5);
    assert.equal(o.durationMs, 1500);
    assert.equal(o.workers, 3);
    assert.equal(o.receive, 'node');
    assert.equal(o.json, true);
  });

  it('a sweep takes a list of client counts and starts from a default rate', () => {
    const o = parse({
      'relay-cmd': 'python3  /tmp/relay.py',
      sweep: true,
      clients: '10,100,1000',
      out: 'docs/x',
    });
    assert.equal(o.mode, 'traffic');
    if (o.mode !== 'traffic') return;
    assert.deepEqual(o.relay, { kind: 'command', command: ['python3', '/tmp/relay.py'] });
    assert.deepEqual(o.clients, [10, 100, 1000]);
    assert.equal(o.rate, undefined);
    assert.equal(o.out, 'docs/x');
  });

  it('an idle run', () => {
    assert.deepEqual(parse({ spawn: true, 'relay-args': '--idle-timeout 60', 'idle-clients': '100000' }), {
      mode: 'idle',
      relay: { kind: 'spawn', extraArgs: ['--idle-timeout', '60'] },
      receive: 'auto',
      transport: 'udp',
      clients: 100_000,
      windowMs: 30_000,
      pingIntervalMs: 10_000,
      roomSize: 20,
      json: false,
    });
  });

  it('needs exactly one relay', () => {
    refused({}, /choose one of/);
    refused({ spawn: true, relay: '127.0.0.1:1' }, /choose one of/);
  });

  it('refuses bad values and combinations, naming the flag', () => {
    refused(
      { relay: 'example.com:99' },
      /--relay must be an IPv4 address \(or localhost\), got "example.com"/,
    );
    refused({ relay: '127.0.0.1' }, /--relay must be IPV4:PORT/);
    refused({ spawn: true, receive: 'kernel' }, /--receive must be one of auto, native, node/);
    refused({ relay: '127.0.0.1:70000' }, /--relay must be/);
    refused({ spawn: true, clients: '1' }, /--clients must be a whole number >= 2/);
    refused({ spawn: true, clients: '10', senders: '11' }, /--senders 11 is more than --clients 10/);
    refused({ spawn: true, clients: '10,100' }, /need --sweep/);
    refused({ spawn: true, rate: '0' }, /--rate must be a number > 0/);
    refused({ spawn: true, duration: 'soon' }, /--duration must be/);
    refused({ spawn: true, 'idle-clients': '10', rate: '5' }, /--rate does not go with --idle-clients/);
    refused({ spawn: true, window: '5' }, /--window goes only with --idle-clients/);
    refused({ spawn: true, 'relay-pid': '5' }, /--relay-pid goes with --relay/);
    refused({ relay: '127.0.0.1:5', 'relay-args': '-x' }, /--relay-args goes with --spawn/);
  });
});

describe('bench --history-lines (the store at size, no traffic)', () => {
  it('takes a line count and --json, and nothing about a relay or traffic', () => {
    assert.deepEqual(parse({ 'history-lines': '1000000', json: true }), {
      mode: 'history',
      lines: 1_000_000,
      json: true,
    });
    refused({ 'history-lines': '10', spawn: true }, /--spawn does not go with --history-lines/);
    refused({ 'history-lines': '10', clients: '5' }, /--clients does not go with --history-lines/);
    refused({ 'history-lines': '0' }, /--history-lines/);
  });
});

describe('bench --multicast (LAN peers, no relay)', () => {
  it('takes peer counts, a rate, a duration and workers, and nothing about a relay', () => {
    assert.deepEqual(parse({ multicast: '239.255.9.9:30000', clients: '10,50', duration: '5s' }), {
      mode: 'lan',
      group: { host: '239.255.9.9', port: 30000 },
      peers: [10, 50],
      rate: undefined,
      durationMs: 5_000,
      workers: 2,
      json: false,
    });
    refused({ multicast: '239.255.9.9:30000', spawn: true }, /--spawn does not go with --multicast/);
    refused({ multicast: '239.255.9.9:30000', sweep: true }, /--sweep does not go with --multicast/);
    refused({ multicast: '10.0.0.1:30000' }, /IPv4 multicast group/);
  });
});

describe('bench --relays', () => {
  it('takes a list of relay counts for spawned UDP relays without --db, and refuses the rest', () => {
    const options = parse({ spawn: true, relays: '1,2,3' });
    assert.ok(options.mode === 'traffic');
    assert.deepEqual(options.relays, [1, 2, 3]);
    refused({ relay: '127.0.0.1:9999', relays: '2' }, /--relays N goes with --spawn/);
    refused({ spawn: true, relays: '2', transport: 'tcp' }, /UDP clients on relays without --db/);
    refused({ spawn: true, relays: '2', store: 'db' }, /UDP clients on relays without --db/);
    refused({ spawn: true, relays: '17' }, /--relays/);
  });
});
