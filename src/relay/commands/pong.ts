/**
 * `/pong`: a client's answer to the relay's `/ping` (server-driven keep-alive). Hearing it is all that
 * matters (any datagram refreshes the session), so it is never relayed as chat.
 */
import type { SessionCommand } from './command.ts';

export const pongCommand: SessionCommand = {
  name: 'pong',
  syntax: '/pong',
  summary: "answer to the relay's /ping (server keep-alive)",
  throttled: false,
  open: false,
  handle: () => {},
};
