/** Where LAN chat's events land on the full screen: one buffer, its nick list, presence and notices. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BufferList, ChatBuffer } from '../../src/tui/screen/buffers.ts';
import { LanEventRouter } from '../../src/tui/screen/lan-router.ts';
import { LineView } from '../../src/tui/screen/line-view.ts';
import { ChatModel } from '../../src/tui/screen/model.ts';
import { presenceText } from '../../src/tui/screen/presence.ts';
import { DEFAULT_THEME } from '../../src/tui/screen/theme.ts';

const SENDER = '0101010101010101';

function setup(): { router: LanEventRouter; buffer: ChatBuffer } {
  const buffer = new ChatBuffer('room', '239.255.0.1:9999');
  const model = new ChatModel(
    new BufferList(buffer),
    new LineView({ theme: DEFAULT_THEME, timestampFormat: '' }),
    () => 80,
    () => new Date(Date.UTC(2026, 0, 1)),
  );
  return { router: new LanEventRouter(model, buffer, () => 'alice'), buffer };
}

function lastText(buffer: ChatBuffer): string {
  const body = buffer.lines.at(-1)?.body;
  if (body === undefined) return '';
  if (body.kind === 'presence') return presenceText(body.items);
  return 'text' in body ? body.text : '';
}

describe('LAN events on the full screen', () => {
  it('keeps the nick list from arrivals, leaves and time-outs, as collapsed presence lines', () => {
    const { router, buffer } = setup();
    router.handle({ type: 'joined', senderId: SENDER, nick: 'bob' });
    router.handle({ type: 'joined', senderId: '02', nick: 'carol' });
    assert.deepEqual(buffer.nicks.ordered().sort(), ['bob', 'carol']);
    assert.match(lastText(buffer), /bob, carol joined/);
    router.handle({ type: 'left', senderId: SENDER, nick: 'bob' });
    router.handle({ type: 'timed-out', senderId: '02', nick: 'carol', silentMs: 15_000 });
    assert.deepEqual(buffer.nicks.ordered(), []);
  });

  it('shows lines with mentions of our shown name, and gaps as notices', () => {
    const { router, buffer } = setup();
    router.handle({ type: 'line', id: { senderId: SENDER, sequence: 1 }, nick: 'bob', text: 'alice: hi' });
    const line = buffer.lines.at(-1)?.body;
    assert.ok(line?.kind === 'chat' && line.mention && !line.own && line.nick === 'bob');
    router.handle({ type: 'gap', senderId: SENDER, nick: 'bob', count: 2 });
    assert.equal(lastText(buffer), '2 lines from bob lost');
  });

  it('renames a collision loser in the nick list', () => {
    const { router, buffer } = setup();
    router.handle({ type: 'joined', senderId: SENDER, nick: 'bob' });
    router.handle({
      type: 'collision',
      senderId: SENDER,
      nick: 'bob',
      shownAs: 'bob#0101',
      from: 'bob',
      keptBy: '0000000000000001',
      self: false,
    });
    assert.deepEqual(buffer.nicks.ordered(), ['bob#0101']);
    assert.match(lastText(buffer), /bob#0101/);
  });
});
