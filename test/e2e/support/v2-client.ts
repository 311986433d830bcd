/** A ChatClient speaking protocol v2 to a relay on 127.0.0.1, welcomed when this resolves, closed after the test. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { ClientEvent } from '../../../src/client/events.ts';
import { ChatClient } from '../../../src/client-host/chat-client.ts';
import { Collector } from './collector.ts';

export interface V2TestClient {
  readonly client: ChatClient;
  /** Its welcome, chat, notice, line, reconnected and rejoining events, in order. */
  readonly events: Collector<ClientEvent>;
}

export async function v2Client(t: TestContext, port: number, nick: string): Promise<V2TestClient> {
  const client = await ChatClient.connect({ nick, host: '127.0.0.1', port, protocol: 'v2' });
  const events = new Collector<ClientEvent>(nick);
  for (const name of ['welcome', 'chat', 'notice', 'line', 'reconnected', 'rejoining'] as const)
    client.on(name, (e) => events.push(e));
  t.after(async () => {
    await client.leave();
    await client.close();
  });
  await events.waitFor((e) => e.type === 'welcome');
  assert.equal(client.protocol, 'v2');
  return { client, events };
}
