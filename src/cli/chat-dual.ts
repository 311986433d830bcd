/**
 * `udpchat chat --relay H:P --multicast GROUP:PORT`: the dual path. One relay client and one LAN peer under
 * one nick, joined by DualChat (lan-host/dual-chat.ts) so the relay's UIs run on it unchanged. The relay
 * client always watches its relay (a quiet v2 session is probed) and never gives up on it: losing it is
 * what the LAN is there for, and finding it again is what the catch-up waits for.
 */
import { ChatClient, type ChatClientOptions } from '../client-host/chat-client.ts';
import { DualChat } from '../lan-host/dual-chat.ts';
import type { Address } from '../protocol/address.ts';
import { checkLanNick } from '../protocol/lan/lan-nick.ts';
import type { TraceSink } from '../transport/trace-sink.ts';
import { openLanChat } from './chat-lan.ts';
import { UsageError } from './usage-error.ts';

/**
 * Tries for a lost relay at most this far apart (the relay client's own cap is 30 s): the LAN carries the
 * lobby meanwhile, and each try is one small /join datagram.
 */
export const RECONNECT_MAX_MS = 5_000;

export interface DualChatRun {
  readonly nick: string;
  /** The relay client's options but the nick (reconnection is added here). */
  readonly relay: Omit<ChatClientOptions, 'nick' | 'session'>;
  readonly group: Address;
  readonly listenGroup: Address | null;
  readonly interfaceAddress: string | null;
  readonly ttl: number;
  readonly passphrase: string | null;
  readonly trace?: TraceSink;
}

/** The LAN's nick rules are the stricter (no `#`); the relay's were checked by the caller. */
export async function openDualChat(run: DualChatRun): Promise<DualChat> {
  const nick = checkLanNick(run.nick);
  if (!nick.ok) throw new UsageError('bad-value', `invalid nickname for the LAN: ${nick.reason}`);
  // The group first: a group that cannot be joined is a usage error before any datagram goes to the relay.
  const lan = await openLanChat({ ...run, nick: nick.nick });
  const client = await ChatClient.connect({
    ...run.relay,
    nick: nick.nick,
    session: { reconnect: { maxMs: RECONNECT_MAX_MS } },
  }).catch(async (error: unknown) => {
    await lan.close();
    throw error;
  });
  return new DualChat(client, lan);
}
