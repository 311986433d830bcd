import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { UsageError } from '../../src/cli/usage-error.ts';
import {
  byteSize,
  choice,
  count,
  duration,
  hostPort,
  hostPortList,
  ipAddress,
  ipv4Address,
  listOf,
  multicastGroup,
  percentage,
  port,
  rate,
  text,
  type ValueType,
  words,
} from '../../src/cli/values.ts';

/** Asserts `type` refuses `value` with one line that names the flag and matches `message`. */
function refuses<T>(type: ValueType<T>, value: string, message: RegExp, name = '--flag'): void {
  assert.throws(
    () => type.parse(value, name),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.equal(error.code, 'bad-value');
      assert.ok(error.message.startsWith(name), error.message);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
    `${JSON.stringify(value)} should be refused`,
  );
}

describe('port', () => {
  it('takes 0 to 65535, or 1 to 65535 for an address to reach', () => {
    assert.equal(port().parse('0', '--port'), 0);
    assert.equal(port().parse('65535', '--port'), 65535);
    assert.equal(port({ zero: false }).parse('1', 'port'), 1);
    refuses(port({ zero: false }), '0', /^port must be a port number 1-65535, got "0"$/, 'port');
  });

  it('refuses anything but a plain number in range', () => {
    for (const bad of ['', 'x', '-1', '65536', '1.5', ' 80', '80 ', '123456', '0x50'])
      refuses(port(), bad, /must be a port number 0-65535, got "/);
  });

  it('every port parses back from how it is written (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), (n) => port().parse(port().format(n), '--port') === n),
    );
  });

  it('any text is either a port or a bad-value error, never anything else (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        try {
          const n = port().parse(value, '--port');
          return Number.isInteger(n) && n >= 0 && n <= 65535;
        } catch (error) {
          return error instanceof UsageError && error.code === 'bad-value';
        }
      }),
    );
  });
});

describe('count', () => {
  it('takes whole numbers from its minimum, up to its maximum if it has one', () => {
    assert.equal(count().parse('0', '--line-burst'), 0);
    assert.equal(count({ min: 1, max: 16 }).parse('16', '--send-threads'), 16);
    refuses(count({ min: 1 }), '0', /^--flag must be a whole number >= 1, got "0"$/);
    refuses(count({ max: 16 }), '17', /^--flag must be a whole number from 0 to 16, got "17"$/);
    for (const bad of ['', '-1', '1.5', 'two', '1e3', '99999999999999999'])
      refuses(count(), bad, /whole number/);
  });

  it('the largest seed a chaos proxy takes is a count too', () => {
    assert.equal(count({ max: 0xffff_ffff }).parse('4294967295', '--seed'), 4294967295);
  });
});

describe('rate', () => {
  it('takes decimals >= 0, or > 0 where a rate must flow', () => {
    assert.equal(rate().parse('0', '--line-rate'), 0);
    assert.equal(rate().parse('0.5', '--nick-rate'), 0.5);
    assert.equal(rate().parse('.5', '--nick-rate'), 0.5);
    assert.equal(rate({ positive: true }).parse('2500.5', '--rate'), 2500.5);
    refuses(rate({ positive: true }), '0', /^--flag must be a number > 0, got "0"$/);
    for (const bad of ['', '-1', '1e3', 'x', '1.', '4/s']) refuses(rate(), bad, /must be a number >= 0/);
  });
});

describe('percentage', () => {
  it('takes 10% or the fraction 0.1, both one in ten', () => {
    assert.equal(percentage.parse('10%', '--loss'), 0.1);
    assert.equal(percentage.parse('0.1', '--loss'), 0.1);
    assert.equal(percentage.parse('100%', '--loss'), 1);
    assert.equal(percentage.format(0), '0%');
    refuses(percentage, '150%', /^--loss must be between 0% and 100%, got "150%"$/, '--loss');
    refuses(
      percentage,
      '5',
      /^--loss as a fraction must be between 0 and 1 \(did you mean 5%\?\)$/,
      '--loss',
    );
    for (const bad of ['', 'lots', '-1%', '10 %', '%']) refuses(percentage, bad, /a percentage like 10%/);
  });

  it('n% and the fraction n/100 are the same probability (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (n) => {
        const fraction = (n / 100).toFixed(2);
        return (
          percentage.parse(`${n}%`, '--loss') === n / 100 && percentage.parse(fraction, '--loss') === n / 100
        );
      }),
    );
  });
});

describe('duration', () => {
  const seconds = duration({ bare: 's', zero: false });
  const millis = duration({ bare: 'ms', zero: true, maxMs: 60_000 });

  it('takes ms, s, m and h, and a plain number in the flag’s own unit', () => {
    assert.equal(seconds.parse('250ms', '--idle-timeout'), 250);
    assert.equal(seconds.parse('1.5s', '--idle-timeout'), 1500);
    assert.equal(seconds.parse('2m', '--idle-timeout'), 120_000);
    assert.equal(seconds.parse('1h', '--idle-timeout'), 3_600_000);
    assert.equal(seconds.parse('30', '--idle-timeout'), 30_000, 'a plain relay timeout is seconds');
    assert.equal(seconds.parse('.5', '--idle-timeout'), 500);
    assert.equal(seconds.parse('1.1s', '--idle-timeout'), 1100, 'no binary fraction left over');
    assert.equal(millis.parse('20', '--delay'), 20, 'a plain chaos delay is milliseconds');
    assert.equal(millis.parse('0', '--delay'), 0);
  });

  it('refuses zero where it must pass time, beyond its maximum, and what is not a duration', () => {
    refuses(seconds, '0', /^--flag must be greater than 0, got "0"$/);
    refuses(seconds, '0ms', /greater than 0/);
    refuses(millis, '61s', /^--flag must be at most 60s, got "61s"$/);
    for (const bad of ['', '-1', '1 s', '1sec', '20us', 's', '1e3', '1.5.2'])
      refuses(seconds, bad, /must be a duration like 250ms, 1.5s or 2m \(a plain number is seconds\)/);
  });

  it('a whole number with a unit is that many units; a default parses back as written (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (n) => {
        const checks = [
          seconds.parse(`${n}ms`, '--x') === n,
          seconds.parse(`${n}s`, '--x') === n * 1000,
          seconds.parse(`${n}m`, '--x') === n * 60_000,
          seconds.parse(`${n}`, '--x') === n * 1000,
          seconds.parse(seconds.format(n), '--x') === n,
        ];
        return checks.every(Boolean);
      }),
    );
  });
});

describe('byte size', () => {
  const buffer = byteSize({ max: 2 ** 31 - 1, maxText: '2 GiB' });

  it('takes bytes, K and M (binary, as the kernel counts), and 0', () => {
    assert.equal(buffer.parse('4194304', '--rcvbuf'), 4 * 1024 * 1024);
    assert.equal(buffer.parse('512K', '--rcvbuf'), 512 * 1024);
    assert.equal(buffer.parse('512k', '--rcvbuf'), 512 * 1024);
    assert.equal(buffer.parse('4M', '--rcvbuf'), 4 * 1024 * 1024);
    assert.equal(buffer.parse('4MiB', '--rcvbuf'), 4 * 1024 * 1024);
    assert.equal(buffer.parse('0', '--rcvbuf'), 0);
    refuses(buffer, '3000M', /^--flag must be below 2 GiB, got "3000M"$/);
    for (const bad of ['', 'lots', '4G', '-1', '1.5M']) refuses(buffer, bad, /must be a size in bytes/);
  });

  it('a size parses back from how help writes it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 21 - 1 }),
        (k) => buffer.parse(buffer.format(k * 1024), '--x') === k * 1024,
      ),
    );
  });
});

describe('words, lists and choices', () => {
  it('a choice takes one of its words and lists them when refusing', () => {
    const keepalive = choice(['client', 'server']);
    assert.equal(keepalive.parse('server', '--keepalive'), 'server');
    assert.equal(keepalive.placeholder, 'client|server');
    refuses(keepalive, 'both', /^--flag must be one of client, server, got "both"$/);
  });

  it('text may be refused when empty; words split on blanks; a list splits on commas', () => {
    assert.equal(text('H').parse('', '--host'), '');
    refuses(text('FILE', { empty: false }), '', /must be a non-empty value/);
    assert.deepEqual(words('CMD').parse('  python3   relay.py ', '--relay-cmd'), ['python3', 'relay.py']);
    assert.deepEqual(listOf(count({ min: 2 })).parse('10, 100,1000', '--clients'), [10, 100, 1000]);
    refuses(listOf(count({ min: 2 })), '10,1', /^--flag must be a whole number >= 2, got "1"$/);
  });

  it('a refused value is shown with its control characters escaped', () => {
    refuses(port(), '\x1b[31m', /got "\\x1b\[31m"$/);
  });
});

describe('chat --relay: one HOST:PORT or a list of them', () => {
  const relays = hostPortList({ hosts: 'ip-or-name', zeroPort: false });

  it('one address is a list of one; a list keeps its order', () => {
    assert.deepEqual(relays.parse('127.0.0.1:9999', '--relay'), [{ host: '127.0.0.1', port: 9999 }]);
    assert.deepEqual(relays.parse('relay-a:7000, [::1]:7001,10.0.0.3:7002', '--relay'), [
      { host: 'relay-a', port: 7000 },
      { host: '::1', port: 7001 },
      { host: '10.0.0.3', port: 7002 },
    ]);
    assert.equal(
      relays.format([
        { host: '::1', port: 1 },
        { host: 'a', port: 2 },
      ]),
      '[::1]:1,a:2',
    );
  });

  it('a bad entry names its place and its text', () => {
    refuses(
      relays,
      '127.0.0.1:1,nope,127.0.0.1:3',
      /^--relay entry 2 must be HOST:PORT .*, got "nope"$/,
      '--relay',
    );
    refuses(relays, '127.0.0.1:1,', /^--relay entry 2 must be HOST:PORT/, '--relay');
    refuses(relays, 'h:0', /^--relay must be HOST:PORT with a port 1-65535, got "h:0"$/, '--relay');
    refuses(relays, Array(17).fill('h:1').join(','), /^--relay must be at most 16 addresses/, '--relay');
  });
});

describe('IP addresses and HOST:PORT', () => {
  const metrics = hostPort({ hosts: 'ip-or-name', zeroPort: true });
  const target = hostPort({ hosts: 'ip', zeroPort: false });
  const benchRelay = hostPort({ hosts: 'ipv4', zeroPort: false });

  it('an IP literal, never a name, where nothing resolves names', () => {
    assert.equal(ipAddress.parse('0.0.0.0', '--listen-host'), '0.0.0.0');
    assert.equal(ipAddress.parse('::1', '--listen-host'), '::1');
    refuses(ipAddress, 'localhost', /^--flag must be an IP address \(no name lookups\), got "localhost"$/);
  });

  it('--metrics takes an IPv4 address, a bracketed IPv6 address or a host name, and a port (0 = any)', () => {
    assert.deepEqual(metrics.parse('127.0.0.1:9100', '--metrics'), { host: '127.0.0.1', port: 9100 });
    assert.deepEqual(metrics.parse('[::1]:0', '--metrics'), { host: '::1', port: 0 });
    assert.deepEqual(metrics.parse('localhost:9100', '--metrics'), { host: 'localhost', port: 9100 });
  });

  it('refuses a missing host, a bad port, an unbracketed IPv6 address and junk, saying why', () => {
    const cases: readonly [string, RegExp][] = [
      ['9100', /must be HOST:PORT \(e\.g\. 127\.0\.0\.1:9999; IPv6 as \[::1\]:9999\)/],
      [':9100', /must be a host name or IP address, got ""/],
      ['127.0.0.1', /must be HOST:PORT/],
      ['127.0.0.1:65536', /must be HOST:PORT with a port 0-65535, got "127.0.0.1:65536"/],
      ['::1:9100', /must be HOST:PORT/],
      ['[nope]:1', /must be an IPv6 address in brackets, got "\[nope\]"/],
      ['a b:1', /must be a host name or IP address, got "a b"/],
      ['x:-1', /with a port 0-65535/],
    ];
    for (const [bad, message] of cases) refuses(metrics, bad, message);
  });

  it('a forwarding target is an IP literal with a port to reach', () => {
    assert.deepEqual(target.parse('[::1]:9999', '--to'), { host: '::1', port: 9999 });
    refuses(target, 'localhost:9999', /^--flag must be an IP address \(no name lookups\), got "localhost"$/);
    refuses(target, '127.0.0.1:0', /with a port 1-65535/);
  });

  it('the bench takes IPv4 only, with localhost as 127.0.0.1', () => {
    assert.deepEqual(benchRelay.parse('localhost:9999', '--relay'), { host: '127.0.0.1', port: 9999 });
    refuses(benchRelay, '[::1]:9999', /must be an IPv4 address/);
    refuses(benchRelay, 'example.com:99', /must be an IPv4 address \(or localhost\)/);
    refuses(benchRelay, '127.0.0.1', /^--flag must be IPV4:PORT \(e\.g\. 127\.0\.0\.1:9999\)/);
  });

  it('every IPv4 and IPv6 address with every port parses back from how it is written (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 1, max: 65535 }), (host, p) => {
        const written = target.format({ host, port: p });
        const parsed = target.parse(written, '--to');
        return parsed.port === p && parsed.host === host && isIP(parsed.host) !== 0;
      }),
    );
  });
});

describe('multicast groups and interfaces', () => {
  it('takes an IPv4 multicast group and a port', () => {
    assert.deepEqual(multicastGroup.parse('239.255.0.1:9999', '--multicast'), {
      host: '239.255.0.1',
      port: 9999,
    });
    assert.deepEqual(multicastGroup.parse('224.0.0.251:5353', '--multicast'), {
      host: '224.0.0.251',
      port: 5353,
    });
    assert.equal(multicastGroup.format({ host: '239.1.2.3', port: 1 }), '239.1.2.3:1');
  });

  it('refuses a unicast address, a missing or zero port, IPv6 and names, saying what it takes', () => {
    for (const bad of [
      '10.0.0.1:9999',
      '223.255.255.255:9999',
      '240.0.0.1:9999',
      '239.255.0.1',
      '239.255.0.1:0',
      '239.255.0.1:65536',
      '239.256.0.1:9999',
      '[ff02::1]:9999',
      'mcast.example:9999',
    ])
      refuses(multicastGroup, bad, /IPv4 multicast group 224\.0\.0\.0-239\.255\.255\.255/, '--multicast');
  });

  it('takes an IPv4 interface address only', () => {
    assert.equal(ipv4Address.parse('192.168.1.20', '--interface'), '192.168.1.20');
    for (const bad of ['::1', 'eth0', '192.168.1'])
      refuses(ipv4Address, bad, /an IPv4 address/, '--interface');
  });
});
