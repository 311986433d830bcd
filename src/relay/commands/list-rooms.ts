/**
 * `/list`: the room list under the name the cluster issue gives it, answered exactly as `/rooms`
 * (which stays: clients and docs already use it).
 */
import type { SessionCommand } from './command.ts';
import { roomsCommand } from './rooms.ts';

export const listCommand: SessionCommand = {
  ...roomsCommand,
  name: 'list',
  syntax: '/list',
  summary: 'the same as /rooms',
};
