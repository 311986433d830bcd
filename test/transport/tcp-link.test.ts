/** ChatClient over a TcpLink against a real relay on 127.0.0.1: lines, framing, and a relay restart. */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ChatClient } from '../../src/client-host/chat-client.ts';
import { RelayServer } from '../../src/relay-host/relay-server.ts';
import { tcpTransport } from '../../src/transport/tcp-link.ts';
import { TcpPeer } from '../support/tcp-peer.ts';

async function relay(t: TestContext, tcpPort = 0): Promise<RelayServer> {
  const server = await RelayServer.start({ host: '127.0.0.1', port: 0, streams: { tcpPort } });
  t.after(() => server.stop());
  return server;
}

function next<T>(
  client: ChatClient,
  name: 'welcome' | 'chat',
  match: (e: never) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within 5 s`)), 5_000);
    const off = client.on(name, (event) => {
      if (!match(event as never)) return;
      clearTimeout(timer);
      off();
      resolve(event as T);
    });
  });
}

describe('TcpLink', () => {
  it('carries ChatClient over TCP: v1 from the start, whole lines in, lines out', async (t) => {
    const server = await relay(t);
    const port = server.tcpAddress?.port ?? 0;
    const bob = await TcpPeer.connect(port);
    t.after(() => bob.close());
    await bob.join('bob');
    const alice = await ChatClient.connect({
      nick: 'alice',
      host: '127.0.0.1',
      port,
      transport: tcpTransport,
    });
    t.after(() => alice.close());
    await next(alice, 'welcome');
    assert.equal(alice.protocol, 'v1');
    assert.equal(alice.relay.port, port);
    const heard = next<{ text: string }>(alice, 'chat');
    // Two lines in one write and one split in two: the link hands the client whole lines.
    bob.write('first\nsec');
    bob.write('ond\n');
    assert.equal((await heard).text, 'first');
    await bob.expect('*** alice joined ***');
    alice.say('hello bob');
    await bob.expect('<alice> hello bob');
  });

  it('refuses at connect, naming the relay, when nothing listens', async (t) => {
    const server = await relay(t);
    const port = server.tcpAddress?.port ?? 0;
    await server.stop();
    await assert.rejects(
      ChatClient.connect({ nick: 'alice', host: '127.0.0.1', port, transport: tcpTransport }),
      /cannot connect to the relay at tcp 127\.0\.0\.1:\d+/,
    );
  });

  it('opens a new connection at the next send after the relay restarted, and joins again', async (t) => {
    const first = await relay(t);
    const port = first.tcpAddress?.port ?? 0;
    const alice = await ChatClient.connect({
      nick: 'alice',
      host: '127.0.0.1',
      port,
      transport: tcpTransport,
      session: { pingIntervalMs: 200, reconnect: {} },
    });
    t.after(() => alice.close());
    await next(alice, 'welcome');
    const local = alice.local.port;
    await first.stop();
    const second = await relay(t, port);
    await next(alice, 'welcome');
    assert.notEqual(alice.local.port, local, 'a new connection');
    assert.equal(second.clientCount, 1);
  });
});
