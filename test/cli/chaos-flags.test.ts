import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MAPPING_TIMEOUT_MS, DEFAULT_MAX_MAPPINGS } from '../../src/chaos/settings.ts';
import { chaosSettingsFromArgs, multicastChaosSettingsFromArgs } from '../../src/cli/chaos-flags.ts';
import { UsageError } from '../../src/cli/usage-error.ts';

/** Flag values by name, as typed after `udpchat chaos`; undefined leaves a flag out. */
type ChaosFlagValues = Readonly<Record<string, string | undefined>>;

const REQUIRED: ChaosFlagValues = { listen: '0', to: '127.0.0.1:9999' };

function asArgs(values: ChaosFlagValues): string[] {
  return Object.entries(values).flatMap(([name, value]) => (value === undefined ? [] : [`--${name}`, value]));
}

function parseChaosOptions(values: ChaosFlagValues) {
  return chaosSettingsFromArgs(asArgs(values));
}

function refusal(values: ChaosFlagValues, message: RegExp): void {
  assert.throws(
    () => parseChaosOptions({ ...REQUIRED, ...values }),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );
}

describe('chaos options: accepted values', () => {
  it('only --listen and --to are needed; every fault defaults to off', () => {
    assert.deepEqual(parseChaosOptions(REQUIRED), {
      listen: { host: '127.0.0.1', port: 0 },
      target: { host: '127.0.0.1', port: 9999 },
      faults: { loss: 0, duplicate: 0, reorder: 0, delayMs: 0, jitterMs: 0, reorderHoldMs: 50 },
      seed: undefined,
      mappingTimeoutMs: DEFAULT_MAPPING_TIMEOUT_MS,
      maxMappings: DEFAULT_MAX_MAPPINGS,
    });
  });

  it('every flag of the issue example parses to its typed value', () => {
    const settings = parseChaosOptions({
      listen: '9000',
      'listen-host': '0.0.0.0',
      to: '[::1]:9999',
      loss: '10%',
      dup: '5%',
      reorder: '0.05',
      delay: '20ms',
      jitter: '10ms',
      seed: '4294967295',
      'mapping-timeout': '0.5s',
      'max-mappings': '16384',
    });
    assert.deepEqual(settings, {
      listen: { host: '0.0.0.0', port: 9000 },
      target: { host: '::1', port: 9999 },
      faults: { loss: 0.1, duplicate: 0.05, reorder: 0.05, delayMs: 20, jitterMs: 10, reorderHoldMs: 70 },
      seed: 4294967295,
      mappingTimeoutMs: 500,
      maxMappings: 16384,
    });
  });

  it('the reorder hold defaults to 2 x jitter + 50ms and can be set', () => {
    assert.equal(parseChaosOptions({ ...REQUIRED, jitter: '0.1s' }).faults.reorderHoldMs, 250);
    assert.equal(parseChaosOptions({ ...REQUIRED, 'reorder-hold': '5ms' }).faults.reorderHoldMs, 5);
  });

  for (const [text, value] of [
    ['10%', 0.1],
    ['0.1', 0.1],
    ['.5', 0.5],
    ['0%', 0],
    ['100%', 1],
    ['1', 1],
    ['0', 0],
    ['12.5%', 0.125],
  ] as const) {
    it(`percentage "${text}" is ${value}`, () =>
      assert.equal(parseChaosOptions({ ...REQUIRED, loss: text }).faults.loss, value));
  }

  for (const [text, ms] of [
    ['20ms', 20],
    ['0.5s', 500],
    ['20', 20],
    ['0', 0],
    ['1.5', 1.5],
    ['2s', 2000],
    ['.25s', 250],
  ] as const) {
    it(`duration "${text}" is ${ms} ms`, () =>
      assert.equal(parseChaosOptions({ ...REQUIRED, delay: text }).faults.delayMs, ms));
  }
});

describe('chaos options: every refusal names the flag in one line', () => {
  const cases: readonly [string, ChaosFlagValues, RegExp][] = [
    ['--listen missing', { listen: undefined }, /^--listen PORT is required/],
    ['--to missing', { to: undefined }, /^--to HOST:PORT is required/],
    ['--listen not a number', { listen: 'abc' }, /^--listen must be a port number 0-65535, got "abc"$/],
    ['--listen too large', { listen: '65536' }, /^--listen must be a port number/],
    ['--listen-host a name', { 'listen-host': 'localhost' }, /^--listen-host must be an IP address/],
    ['--to without a port', { to: '127.0.0.1' }, /^--to must be HOST:PORT/],
    [
      '--to a name',
      { to: 'localhost:9999' },
      /^--to must be an IP address \(no name lookups\), got "localhost"$/,
    ],
    ['--to port 0', { to: '127.0.0.1:0' }, /^--to must be HOST:PORT with a port 1-65535/],
    ['--to port not a number', { to: '127.0.0.1:x' }, /^--to must be HOST:PORT with a port/],
    ['--to empty port', { to: '127.0.0.1:' }, /^--to must be HOST:PORT with a port/],
    ['--to bare IPv6', { to: '::1:9999' }, /^--to must be HOST:PORT \(.*IPv6 as \[::1\]:9999\)/],
    [
      '--to bracketed IPv4',
      { to: '[1.2.3.4]:80' },
      /^--to must be an IPv6 address in brackets, got "\[1.2.3.4\]"$/,
    ],
    [
      '--loss a word',
      { loss: 'lots' },
      /^--loss must be a percentage like 10% or a fraction like 0.1, got "lots"$/,
    ],
    ['--loss over 100%', { loss: '150%' }, /^--loss must be between 0% and 100%, got "150%"$/],
    [
      '--loss a bare 5',
      { loss: '5' },
      /^--loss as a fraction must be between 0 and 1 \(did you mean 5%\?\)$/,
    ],
    ['--dup negative', { dup: '-1%' }, /^--dup must be a percentage/],
    ['--reorder with a space', { reorder: '10 %' }, /^--reorder must be a percentage/],
    ['--reorder empty', { reorder: '' }, /^--reorder must be a percentage/],
    [
      '--delay a word',
      { delay: 'soon' },
      /^--delay must be a duration like 250ms, 1.5s or 2m \(a plain number is milliseconds\), got "soon"$/,
    ],
    ['--delay microseconds', { delay: '20us' }, /^--delay must be a duration/],
    ['--delay negative', { delay: '-5ms' }, /^--delay must be a duration/],
    ['--delay over a minute', { delay: '61s' }, /^--delay must be at most 60s, got "61s"$/],
    ['--jitter over a minute', { jitter: '60001' }, /^--jitter must be at most 60s/],
    ['--reorder-hold over a minute', { 'reorder-hold': '90s' }, /^--reorder-hold must be at most 60s/],
    ['--seed negative', { seed: '-1' }, /^--seed must be a whole number from 0 to 4294967295, got "-1"$/],
    ['--seed too large', { seed: '4294967296' }, /^--seed must be a whole number/],
    ['--seed fractional', { seed: '1.5' }, /^--seed must be a whole number/],
    [
      '--mapping-timeout zero',
      { 'mapping-timeout': '0s' },
      /^--mapping-timeout must be greater than 0, got "0s"$/,
    ],
    [
      '--mapping-timeout over a day',
      { 'mapping-timeout': '86401s' },
      /^--mapping-timeout must be at most 86400s/,
    ],
    ['--mapping-timeout a word', { 'mapping-timeout': 'never' }, /^--mapping-timeout must be a duration/],
    [
      '--max-mappings zero',
      { 'max-mappings': '0' },
      /^--max-mappings must be a whole number from 1 to 16384, got "0"$/,
    ],
    [
      '--max-mappings too many',
      { 'max-mappings': '16385' },
      /^--max-mappings must be a whole number from 1 to 16384/,
    ],
    ['--max-mappings a word', { 'max-mappings': 'lots' }, /^--max-mappings must be a whole number/],
  ];
  for (const [name, values, message] of cases) it(name, () => refusal(values, message));

  it('a bad value is a usage error of code bad-value; a missing flag, of code missing-flag', () => {
    assert.throws(() => parseChaosOptions({ ...REQUIRED, dup: 'x' }), {
      name: 'UsageError',
      code: 'bad-value',
    });
    assert.throws(() => parseChaosOptions({ listen: '0' }), { name: 'UsageError', code: 'missing-flag' });
  });
});

describe('chaos --multicast options', () => {
  const MULTICAST: ChaosFlagValues = { multicast: '239.255.0.1:9999', to: '239.255.0.2:9999' };

  function parseMulticast(values: ChaosFlagValues) {
    return multicastChaosSettingsFromArgs(asArgs({ ...MULTICAST, ...values }));
  }

  it('needs only the group heard and the group the copies go to; faults off, TTL 1, no interface', () => {
    assert.deepEqual(parseMulticast({}), {
      group: { host: '239.255.0.1', port: 9999 },
      target: { host: '239.255.0.2', port: 9999 },
      interfaceAddress: null,
      ttl: 1,
      faults: { loss: 0, duplicate: 0, reorder: 0, delayMs: 0, jitterMs: 0, reorderHoldMs: 50 },
      seed: undefined,
    });
  });

  it('takes the same fault flags as the unicast proxy, and --interface and --ttl', () => {
    const settings = parseMulticast({
      to: '239.255.0.1:9998',
      interface: '127.0.0.1',
      ttl: '0',
      loss: '10%',
      dup: '30%',
      reorder: '0.2',
      delay: '5ms',
      jitter: '10ms',
      seed: '7',
    });
    assert.deepEqual(settings, {
      group: { host: '239.255.0.1', port: 9999 },
      target: { host: '239.255.0.1', port: 9998 },
      interfaceAddress: '127.0.0.1',
      ttl: 0,
      faults: { loss: 0.1, duplicate: 0.3, reorder: 0.2, delayMs: 5, jitterMs: 10, reorderHoldMs: 70 },
      seed: 7,
    });
  });

  function multicastRefusal(values: ChaosFlagValues, message: RegExp): void {
    assert.throws(
      () => parseMulticast(values),
      (error: unknown) => {
        assert.ok(error instanceof UsageError, String(error));
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
  }

  const cases: readonly [string, ChaosFlagValues, RegExp][] = [
    [
      '--multicast not a group',
      { multicast: '10.0.0.1:9999' },
      /^--multicast must be an IPv4 multicast group/,
    ],
    [
      '--to not a group',
      { to: '127.0.0.1:9999' },
      /^--to must be an IPv4 multicast group.*got "127\.0\.0\.1:9999"$/,
    ],
    ['--to an IPv6 address', { to: '[::1]:9999' }, /^--to must be an IPv4 multicast group/],
    [
      '--to the group itself',
      { to: '239.255.0.1:9999' },
      /^--to must be another group or port than --multicast/,
    ],
    ['--to missing', { to: undefined }, /^--to HOST:PORT is required/],
    ['--listen beside it', { listen: '0' }, /^--listen does not go with --multicast/],
    ['--listen-host beside it', { 'listen-host': '0.0.0.0' }, /^--listen-host does not go with --multicast/],
    ['--max-mappings beside it', { 'max-mappings': '4' }, /^--max-mappings does not go with --multicast/],
    [
      '--mapping-timeout beside it',
      { 'mapping-timeout': '1s' },
      /^--mapping-timeout does not go with --multicast/,
    ],
    ['--stall beside it', { stall: '1%' }, /^--stall does not go with --multicast/],
    ['--interface not IPv4', { interface: '::1' }, /^--interface must be an IPv4 address/],
    ['--ttl over 255', { ttl: '256' }, /^--ttl must be a whole number from 0 to 255/],
  ];
  for (const [name, values, message] of cases) it(name, () => multicastRefusal(values, message));

  it('--tcp beside it is refused (a switch has no value)', () => {
    assert.throws(() => multicastChaosSettingsFromArgs([...asArgs(MULTICAST), '--tcp']), {
      name: 'UsageError',
      message: /^--tcp does not go with --multicast/,
    });
  });

  it('--interface and --ttl without --multicast are refused, with the unicast proxy', () => {
    refusal({ interface: '127.0.0.1' }, /^--interface needs --multicast$/);
    refusal({ ttl: '0' }, /^--ttl needs --multicast$/);
  });
});
