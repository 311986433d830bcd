/**
 * Where LAN chat's events go on the full screen: one buffer for the group. Lines and actions as chat lines
 * (mentions of our shown name marked), arrivals, leaves, time-outs and renames as collapsed presence
 * lines that also keep the nick list, and collisions, gaps and key mismatches as notices in the relay's
 * wording (lan-lines.ts). Pure: no terminal, no socket.
 */
import type { LanEvent, LanWhoEntry } from '../../lan/events.ts';
import { lanEventLine, whoLines } from '../lan-lines.ts';
import type { ChatBuffer } from './buffers.ts';
import type { ChatModel } from './model.ts';
import { mentions } from './router.ts';

export class LanEventRouter {
  private turn = 0;

  constructor(
    private readonly model: ChatModel,
    readonly buffer: ChatBuffer,
    /** The name the group shows us under now. */
    private readonly shownAs: () => string,
  ) {}

  handle(event: LanEvent): void {
    const { buffer, model } = this;
    switch (event.type) {
      case 'line':
      case 'action':
        this.turn += 1;
        buffer.nicks.spoke(event.nick, this.turn);
        model.add(buffer, {
          kind: event.type === 'line' ? 'chat' : 'action',
          nick: event.nick,
          text: event.text,
          own: false,
          mention: mentions(event.text, this.shownAs()),
        });
        return;
      case 'joined':
        buffer.nicks.add(event.nick);
        model.presence(buffer, { kind: 'joined', nick: event.nick });
        return;
      case 'left':
        buffer.nicks.remove(event.nick);
        model.presence(buffer, { kind: 'quit', nick: event.nick, reason: '' });
        return;
      case 'timed-out':
        buffer.nicks.remove(event.nick);
        model.presence(buffer, { kind: 'timed-out', nick: event.nick });
        return;
      case 'renamed':
        if (!event.self) buffer.nicks.rename(event.from, event.to);
        model.presence(buffer, { kind: 'renamed', nick: event.from, to: event.to });
        return;
      case 'collision':
        if (!event.self && event.from !== null) buffer.nicks.rename(event.from, event.shownAs);
        else if (!event.self) buffer.nicks.add(event.shownAs);
        this.notice(event);
        return;
      case 'refused':
        model.note(event.refusal.message, 'error', buffer);
        return;
      default:
        this.notice(event);
    }
  }

  /** /who's answer, as local lines. */
  who(group: string, entries: readonly LanWhoEntry[], now: number): void {
    for (const line of whoLines(group, entries, now)) this.model.note(line.slice(4, -4), 'info', this.buffer);
  }

  private notice(event: LanEvent): void {
    const line = lanEventLine(event);
    if (line !== null) this.model.add(this.buffer, { kind: 'notice', text: line.slice(4, -4) });
  }
}
