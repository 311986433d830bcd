/**
 * `/topic [#room] [text]`: show a room's topic, or (as its operator) set it. An empty-looking `/topic #room -`
 * clears it. Setting is for operators, as on most IRC networks (channel mode +t).
 */
import { MAX_TOPIC_CHARS } from '../../protocol/limits.ts';
import * as wire from '../../protocol/messages.ts';
import { announceRoomChange } from '../cluster/moderation.ts';
import type { RelayContext } from '../context.ts';
import { requireRoomOperator } from '../moderation/targets.ts';
import type { Session } from '../session.ts';
import { checkText } from '../text-check.ts';
import type { CommandInput, SessionCommand } from './command.ts';
import { roomFromArgs } from './room-arg.ts';

function handleTopic(ctx: RelayContext, session: Session, input: CommandInput): void {
  const target = roomFromArgs(ctx, session, input.args, false);
  if (target === null) return;
  const { room, rest } = target;
  if (rest === '') {
    ctx.send(session, wire.inRoom(room.name, room.topic ? wire.topicIs(room.topic) : wire.NO_TOPIC));
    return;
  }
  if (!requireRoomOperator(ctx, session, room)) return;
  const topic = rest === '-' ? '' : checkText(ctx, session, rest, MAX_TOPIC_CHARS);
  if (topic === null) return;
  room.topic = topic;
  ctx.rooms.changed(room);
  ctx.toRoom(room, wire.topicSetBy(session.nick, topic));
  announceRoomChange(ctx, room, session.nick, { type: 'topic', topic });
}

export const topicCommand: SessionCommand = {
  name: 'topic',
  syntax: '/topic [#room] [text | -]',
  summary: "show a room's topic; operators set it, or clear it with -",
  throttled: true,
  open: false,
  handle: handleTopic,
};
