/**
 * UdpLink, the client's UDP link to one relay, over real sockets on loopback: only the relay's datagrams
 * get through, the relay's host is resolved once with the IPv4 preference (and a resolver's failure is an
 * error naming the host), and rebind() moves to a new local port that the relay then hears from.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, type TestContext, test } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { type HostResolver, systemResolver } from '../../src/transport/host-resolver.ts';
import type { LinkRequest } from '../../src/transport/relay-link.ts';
import { UdpLink, udpTransport } from '../../src/transport/udp-link.ts';
import { Collector } from '../e2e/support/collector.ts';

const decoder = new TextDecoder();

/** A bare socket standing in for the relay (or a stranger): it records what it receives, with the sender. */
class Peer {
  readonly received = new Collector<{ text: string; from: Address }>('peer');

  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (bytes, from) =>
      this.received.push({ text: decoder.decode(bytes), from: { host: from.address, port: from.port } }),
    );
  }

  static async bind(t: TestContext, host = '127.0.0.1'): Promise<Peer> {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    const peer = new Peer(socket);
    t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    return peer;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Resolves once the datagram is handed to the kernel (on loopback, already queued at the receiver). */
  send(text: string, to: Address): Promise<void> {
    return new Promise((resolve) => this.socket.send(text, to.port, to.host, () => resolve()));
  }
}

/** A link that records every datagram it hands on. */
async function open(
  t: TestContext,
  request: LinkRequest,
): Promise<{ link: UdpLink; heard: Collector<string> }> {
  const link = await UdpLink.open(request);
  t.after(() => link.close());
  const heard = new Collector<string>('link');
  link.onReceive((bytes) => heard.push(decoder.decode(bytes)));
  return { link, heard };
}

function request(host: string, port: number, resolveHost: HostResolver = systemResolver): LinkRequest {
  return { target: { host, port }, resolveHost };
}

/** A resolver for tests: fixed answers, or a failure. */
function answering(answers: Awaited<ReturnType<HostResolver>>): HostResolver {
  return async () => answers;
}

describe('UdpLink: the client link to one relay over UDP', () => {
  test('hands on the relay’s datagrams and drops other hosts’ and other ports’', async (t) => {
    const relay = await Peer.bind(t);
    const { link, heard } = await open(t, request('127.0.0.1', relay.port));
    const otherPort = await Peer.bind(t);
    const otherHost = await Peer.bind(t, '127.0.0.2');
    const to = { host: '127.0.0.1', port: link.local.port };
    // On loopback a datagram is queued at the receiver before the send callback runs: the strangers' lines
    // are ahead of the relay's marker, so the marker arriving alone proves theirs were dropped.
    await otherPort.send('from another port\n', to);
    await otherHost.send('from another host\n', to);
    await relay.send('marker\n', to);
    await heard.waitFor((text) => text === 'marker\n');
    assert.deepEqual(heard.items, ['marker\n']);
    assert.equal(link.stats.datagramsIn, 3, 'the socket saw all three; the link passed on one');
  });

  test('sends to the relay, and matches an IPv6 relay in any spelling', async (t) => {
    const relay = await Peer.bind(t, '::1');
    const { link, heard } = await open(t, request('0:0:0:0:0:0:0:1', relay.port));
    assert.equal(link.kind, 'datagram');
    assert.equal(link.carriesV2, true);
    assert.equal(link.label, `[0:0:0:0:0:0:0:1]:${relay.port}`);
    link.send(new TextEncoder().encode('/join alice\n'));
    const got = await relay.received.waitFor((r) => r.text === '/join alice\n');
    // The kernel reports the shortest spelling; the link must still know its relay.
    await relay.send('*** welcome, alice ***\n', got.from);
    assert.equal(await heard.waitFor(() => true), '*** welcome, alice ***\n');
  });

  test('resolves a host name once, preferring IPv4 like the seed client', async (t) => {
    const relay = await Peer.bind(t);
    const { link } = await open(t, request('localhost', relay.port));
    assert.deepEqual(link.remote, { host: '127.0.0.1', port: relay.port });
    const mixed = answering([
      { address: '::1', family: 6 },
      { address: '127.0.0.1', family: 4 },
    ]);
    const second = await open(t, request('relay.test', relay.port, mixed));
    assert.equal(second.link.remote.host, '127.0.0.1');
    const onlyV6 = await open(
      t,
      request('relay6.test', relay.port, answering([{ address: '::1', family: 6 }])),
    );
    assert.equal(onlyV6.link.remote.host, '::1');
    assert.equal(onlyV6.link.local.host, '::', 'an IPv6 relay gets an IPv6 socket');
  });

  test('a resolver’s failure, an empty answer or a non-address is an error naming the host', async () => {
    const failing: HostResolver = async () => {
      throw new Error('getaddrinfo ENOTFOUND relay.test');
    };
    await assert.rejects(UdpLink.open(request('relay.test', 7000, failing)), {
      message: 'cannot resolve relay host "relay.test": getaddrinfo ENOTFOUND relay.test',
    });
    await assert.rejects(UdpLink.open(request('relay.test', 7000, answering([]))), {
      message: 'cannot resolve relay host "relay.test": no addresses',
    });
    await assert.rejects(
      UdpLink.open(request('relay.test', 7000, answering([{ address: 'elsewhere', family: 4 }]))),
      { message: 'cannot resolve relay host "relay.test": the resolver answered "elsewhere"' },
    );
  });

  test('an IP literal is never handed to the resolver', async (t) => {
    const relay = await Peer.bind(t);
    const asked: string[] = [];
    const recording: HostResolver = async (host) => {
      asked.push(host);
      return [];
    };
    await open(t, request('127.0.0.1', relay.port, recording));
    assert.deepEqual(asked, []);
  });

  test('rebind() moves to a new local port: the relay hears the new one, and its answers there count', async (t) => {
    const relay = await Peer.bind(t);
    const { link, heard } = await open(t, request('127.0.0.1', relay.port));
    const before = link.local.port;
    link.send(new TextEncoder().encode('one\n'));
    const first = await relay.received.waitFor((r) => r.text === 'one\n');
    assert.equal(first.from.port, before);
    await link.rebind();
    assert.notEqual(link.local.port, before, 'a new source port');
    link.send(new TextEncoder().encode('two\n'));
    const second = await relay.received.waitFor((r) => r.text === 'two\n');
    assert.equal(second.from.port, link.local.port);
    await relay.send('answer\n', second.from);
    assert.equal(await heard.waitFor((text) => text === 'answer\n'), 'answer\n');
  });

  test('after close() rebind() binds nothing, send() does not throw and close() is idempotent', async (t) => {
    const relay = await Peer.bind(t);
    const { link } = await open(t, request('127.0.0.1', relay.port));
    const port = link.local.port;
    await link.close();
    await link.close();
    await link.rebind();
    assert.equal(link.local.port, port, 'no new socket');
    link.send(new TextEncoder().encode('late\n'));
    assert.equal(link.stats.datagramsOut, 0);
  });

  test('udpTransport is a ClientTransport whose factory opens a UdpLink', async (t) => {
    const relay = await Peer.bind(t);
    const link = await udpTransport.factory(request('127.0.0.1', relay.port));
    t.after(() => link.close());
    assert.ok(link instanceof UdpLink);
    assert.equal(udpTransport.resolveHost, undefined, 'ChatClient supplies the system resolver');
  });
});
