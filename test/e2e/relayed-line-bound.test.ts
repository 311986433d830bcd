/**
 * docs/PROTOCOL-v2.md §7, "Relayed lines must fit a LINE frame", against the real relay process: a line
 * whose relayed form `<nick> text` is 1,154 bytes reaches v1 and v2 members alike; one byte more is refused
 * to its sender, v1 or v2, and reaches nobody (before, it reached v1 members and was dropped for v2 ones).
 * Run `npm run build` first when running this file by hand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startRelay } from './support/relay-process.ts';
import { UdpPeer } from './support/udp-peer.ts';
import { v2Client } from './support/v2-client.ts';

const REFUSAL = '*** line refused: too long to relay in one datagram (max 1154 bytes) ***';
/** `é` is two bytes, so a text of `bytes` bytes stays far below the 1,024-character limit. */
const textOf = (bytes: number): string => 'é'.repeat(Math.floor(bytes / 2)) + 'x'.repeat(bytes % 2);

async function v1Peer(port: number, nick: string): Promise<UdpPeer> {
  const peer = await UdpPeer.connect(port);
  peer.send(`/join ${nick}\n`);
  await peer.expect(`*** welcome, ${nick} ***\n`);
  return peer;
}

describe('one bound on relayed lines for v1 and v2 members', () => {
  test('1,154 bytes relayed reach both; 1,155 are refused to a v1 or a v2 sender and reach nobody', async (t) => {
    const { port } = await startRelay(t, ['--line-rate', '0']);
    const alice = await v1Peer(port, 'alice');
    t.after(() => alice.close());
    const bob = await v2Client(t, port, 'bob');
    const carol = await v1Peer(port, 'carol');
    t.after(() => carol.close());

    // `<alice> ` is 8 bytes: 1,146 bytes of text make a relayed form of exactly 1,154.
    const longest = textOf(1146);
    alice.send(`${longest}\n`);
    await carol.expect(`<alice> ${longest}\n`);
    await bob.events.waitFor((e) => e.type === 'chat' && e.nick === 'alice' && e.text === longest);

    const tooLong = textOf(1147);
    alice.send(`${tooLong}\n`);
    await alice.expect(`${REFUSAL}\n`);
    // `<bob> ` is 6 bytes: 1,149 bytes of text are one byte over, from a v2 sender.
    bob.client.say(textOf(1149));
    await bob.events.waitFor((e) => e.type === 'notice' && e.line === REFUSAL);

    // The marker follows both refused lines: had either been relayed, it would have arrived first.
    alice.send('after\n');
    await carol.expect('<alice> after\n');
    await bob.events.waitFor((e) => e.type === 'chat' && e.text === 'after');
    assert.ok(!carol.lines.items.some((line) => line.length > 1000 && line !== `<alice> ${longest}\n`));
    const chats = bob.events.items.filter((e) => e.type === 'chat');
    assert.deepEqual(
      chats.map((e) => (e.type === 'chat' ? e.text.length : 0)),
      [longest.length, 'after'.length],
      'bob saw the longest line and the marker, nothing between',
    );
    assert.ok(
      !alice.lines.items.some((line) => line.startsWith('<bob> ')),
      'bob’s refused line reached nobody',
    );
  });
});
