/** A ChatClient speaking protocol v2 to a relay on 127.0.0.1, welcomed when this resolves, closed after the test. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { ClientEvent } from '../../../src/client/events.ts';
import type { V2ClientTuning } from '../../../src/client/line-carrier.ts';
import { ChatClient } from '../../../src/client-host/chat-client.ts';
import type { ChatSessionOptions } from '../../../src/client-host/chat-client-options.ts';
import { Collector } from './collector.ts';

export interface V2TestClient {
  readonly client: ChatClient;
  /** Its welcome, chat, notice, line, reconnected and rejoining events, in order. */
  readonly events: Collector<ClientEvent>;
}

const EVENTS = ['welcome', 'chat', 'notice', 'line', 'reconnected', 'rejoining'] as const;

/** `session` (e.g. its `reconnect` option) and events collected beyond the usual ones. */
export interface V2ClientExtras {
  readonly session?: ChatSessionOptions;
  /** The v2 connection's tuning, e.g. an `observer` told what each protected datagram held here. */
  readonly v2?: V2ClientTuning;
  readonly events?: readonly ('history' | 'history-end' | 'gap-filled')[];
}

export async function v2Client(
  t: TestContext,
  port: number,
  nick: string,
  extras: V2ClientExtras = {},
): Promise<V2TestClient> {
  const client = await ChatClient.connect({
    nick,
    host: '127.0.0.1',
    port,
    protocol: 'v2',
    ...(extras.session === undefined ? {} : { session: extras.session }),
    ...(extras.v2 === undefined ? {} : { v2: extras.v2 }),
  });
  const events = new Collector<ClientEvent>(nick);
  for (const name of [...EVENTS, ...(extras.events ?? [])]) client.on(name, (e) => events.push(e));
  t.after(async () => {
    await client.leave();
    await client.close();
  });
  await events.waitFor((e) => e.type === 'welcome');
  assert.equal(client.protocol, 'v2');
  return { client, events };
}
