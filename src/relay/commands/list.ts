/** Every command, in the order /help lists them. */
import { banCommand } from '../moderation/ban.ts';
import { inviteCommand } from '../moderation/invite.ts';
import { kickCommand } from '../moderation/kick.ts';
import { killCommand } from '../moderation/kill.ts';
import { modeCommand } from '../moderation/mode.ts';
import { opCommand } from '../moderation/op.ts';
import { unbanCommand } from '../moderation/unban.ts';
import { awayCommand } from './away.ts';
import type { Command } from './command.ts';
import { helpCommand } from './help.ts';
import { historyCommand } from './history.ts';
import { joinCommand } from './join.ts';
import { leaveCommand } from './leave.ts';
import { listCommand } from './list-rooms.ts';
import { meCommand } from './me.ts';
import { msgCommand } from './msg.ts';
import { nickCommand } from './nick.ts';
import { partCommand } from './part.ts';
import { pingCommand } from './ping.ts';
import { pongCommand } from './pong.ts';
import { resumeCommand } from './resume.ts';
import { roomsCommand } from './rooms.ts';
import { switchCommand } from './switch.ts';
import { ticketCommand } from './ticket.ts';
import { topicCommand } from './topic.ts';
import { whoCommand } from './who.ts';

export const commandList: readonly Command[] = [
  joinCommand,
  partCommand,
  switchCommand,
  roomsCommand,
  listCommand,
  topicCommand,
  msgCommand,
  meCommand,
  nickCommand,
  whoCommand,
  historyCommand,
  awayCommand,
  opCommand,
  kickCommand,
  banCommand,
  unbanCommand,
  modeCommand,
  inviteCommand,
  killCommand,
  helpCommand,
  pingCommand,
  pongCommand,
  ticketCommand,
  resumeCommand,
  leaveCommand,
];
