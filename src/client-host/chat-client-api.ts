/**
 * ChatClient's public surface as a type, for the UIs: ChatClient itself, or a client built on one (the
 * dual-path client of lan-host/dual-chat.ts, which adds the LAN) that the same screens can run on.
 */
import type { ChatClient } from './chat-client.ts';

export type ChatClientApi = Pick<ChatClient, keyof ChatClient>;
