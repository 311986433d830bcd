/**
 * `/msg <nick> text` (the direct-messages variant): unicast to one nick, shown as `[msg] <from> text`
 * (or `[msg] * from action` for `/msg nick /me action`) so it is never mistaken for a room line. Kept in
 * the store only with `--keep-private`.
 */
import { firstWord } from '../../protocol/command-line.ts';
import { lookalikeKey } from '../../protocol/lookalike.ts';
import * as wire from '../../protocol/messages.ts';
import { sendDirect } from '../cluster/outbound.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import { checkText, fitDatagram } from '../text-check.ts';
import type { CommandInput, SessionCommand } from './command.ts';

const ME_PREFIX = '/me ';

function handleMsg(ctx: RelayContext, session: Session, input: CommandInput): void {
  const [nick, raw] = firstWord(input.args);
  if (nick === '' || raw === '') {
    ctx.refuse(session.address, session, 'usage', wire.usage(msgCommand.syntax));
    return;
  }
  const key = lookalikeKey(nick);
  const target = ctx.sessions.ownerOfNick(key);
  if (target === undefined && ctx.cluster?.remoteNick(key) === undefined) {
    ctx.refuse(session.address, session, 'no-such-nick', wire.noSuchNick(safeEcho(nick)));
    return;
  }
  const isAction = raw.startsWith(ME_PREFIX);
  const text = checkText(ctx, session, isAction ? raw.slice(ME_PREFIX.length) : raw);
  if (text === null) return;
  const line = isAction ? wire.directAction(session.nick, text) : wire.directMessage(session.nick, text);
  const payload = fitDatagram(ctx, session, line);
  if (payload === null) return;
  session.lastActive = ctx.now;
  // A nick another relay of the cluster serves: the bus routes the line to that relay alone.
  if (target === undefined) {
    sendDirect(ctx, session, key, isAction ? 'action' : 'say', text);
    ctx.emit({ type: 'relayed', address: session.address, nick: session.nick, recipients: 1 });
    return;
  }
  if (ctx.settings.keepPrivate)
    ctx.settings.store?.appendPrivateLine({
      fromKey: session.nickKey,
      fromNick: session.nick,
      toKey: target.nickKey,
      toNick: target.nick,
      at: ctx.wallTime(),
      kind: isAction ? 'action' : 'say',
      text,
    });
  ctx.send(target, payload);
  if (target.away !== null) ctx.send(session, wire.isAway(target.nick, target.away));
  ctx.emit({ type: 'relayed', address: session.address, nick: session.nick, recipients: 1 });
}

/** A nick that matched nobody is echoed only if it is a valid-looking name, never with control bytes. */
function safeEcho(nick: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]{1,32}$/u.test(nick) ? nick : '(that nick)';
}

export const msgCommand: SessionCommand = {
  name: 'msg',
  syntax: '/msg <nick> <text> | /msg <nick> /me <action>',
  summary: 'send a private message to one nick',
  throttled: true,
  open: false,
  handle: handleMsg,
};
