import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchOptionsFromArgs } from '../../src/cli/bench-flags.ts';
import { UsageError } from '../../src/cli/usage-error.ts';

function parse(args: readonly string[]) {
  return benchOptionsFromArgs([...args], 2);
}

function refused(args: readonly string[], message: RegExp): void {
  assert.throws(
    () => parse(args),
    (e: unknown) => e instanceof UsageError && message.test(e.message),
    `expected ${args.join(' ')} to be refused with ${message}`,
  );
}

describe('bench --failover N (kills in a cluster the bench starts)', () => {
  it('defaults: 2 relays, 6 clients on the relay killed, half of them talking', () => {
    assert.deepEqual(parse(['--failover', '20']), {
      mode: 'failover',
      kills: 20,
      relays: 2,
      senders: 3,
      idle: 3,
      json: false,
    });
  });

  it('takes --relays 3, --clients, --senders and --json', () => {
    assert.deepEqual(
      parse(['--failover', '5', '--relays', '3', '--clients', '9', '--senders', '2', '--json']),
      {
        mode: 'failover',
        kills: 5,
        relays: 3,
        senders: 2,
        idle: 7,
        json: true,
      },
    );
    const allTalking = parse(['--failover', '1', '--clients', '4', '--senders', '4']);
    assert.ok(allTalking.mode === 'failover');
    assert.equal(allTalking.idle, 0);
  });

  it('refuses a kill count out of range and relay counts other than 2 or 3', () => {
    refused(['--failover', '0'], /--failover/);
    refused(['--failover', '201'], /--failover/);
    refused(['--failover', 'many'], /--failover/);
    refused(['--failover', '2', '--relays', '1'], /--failover needs --relays 2 or 3 \(got 1\)/);
    refused(['--failover', '2', '--relays', '4'], /--failover needs --relays 2 or 3 \(got 4\)/);
    refused(['--failover', '2', '--relays', '2,3'], /--failover takes one --relays count/);
  });

  it('refuses more senders than clients, too many clients, and a list of client counts', () => {
    refused(['--failover', '2', '--clients', '4', '--senders', '5'], /--senders 5 is more than --clients 4/);
    refused(['--failover', '2', '--clients', '101'], /at most 100 --clients/);
    refused(['--failover', '2', '--clients', '4,8'], /--failover takes one --clients count/);
  });

  it('starts its own cluster: no relay choice and no flag of another mode', () => {
    refused(['--failover', '2', '--spawn'], /--spawn does not go with --failover/);
    refused(['--failover', '2', '--relay', '127.0.0.1:9999'], /--relay does not go with --failover/);
    refused(['--failover', '2', '--duration', '5'], /--duration does not go with --failover/);
    refused(['--failover', '2', '--idle-clients', '10'], /--idle-clients does not go with --failover/);
    refused(['--failover', '2', '--transport', 'tcp'], /--transport does not go with --failover/);
  });

  it('does not mix with --handshakes, --history-lines or --multicast, whichever comes first', () => {
    refused(['--failover', '2', '--handshakes', '5'], /--failover does not go with --handshakes/);
    refused(['--handshakes', '5', '--failover', '2'], /--failover does not go with --handshakes/);
    refused(['--failover', '2', '--history-lines', '10'], /--failover does not go with --history-lines/);
    refused(
      ['--multicast', '239.255.9.9:30000', '--failover', '2'],
      /--failover does not go with --multicast/,
    );
  });
});
