/**
 * The web client end to end, as a person would use it: `udpchat relay --web` serves the page to two real
 * (headless) Chromium browsers, a terminal client joins over UDP, and they all chat in one room; the
 * browsers show pending marks until the relay acknowledges, mentions and unread counts, and reconnect by
 * themselves after the relay restarts. Skips, saying why, where Chromium is not installed.
 * With WEB_SCREENSHOT=path the first test also saves a screenshot of the page there (docs/web-client.png).
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import type { Page } from 'playwright-core';
import { noBrowser, openBrowser } from './support/browser.ts';
import { CliProcess } from './support/cli-process.ts';
import { type RunningRelay, startRelay } from './support/relay-process.ts';

const WAIT = { timeout: 10_000 };

async function relayWithWeb(t: TestContext, extra: readonly string[] = ['--web', '127.0.0.1:0']) {
  const relay = await startRelay(t, extra);
  const url = (await relay.process.waitForLine(/^web client on http:\/\/\S+$/)).split(' ').at(-1) ?? '';
  return { relay, url };
}

function terminalClient(t: TestContext, relay: RunningRelay, nick: string): CliProcess {
  const child = CliProcess.cli(['chat', nick, '127.0.0.1', String(relay.port)], { name: nick });
  t.after(() => child.stop());
  return child;
}

async function joinAs(page: Page, url: string, nick: string): Promise<void> {
  await page.goto(`${url}?nick=${encodeURIComponent(nick)}`);
  await page.locator('#connection[data-tone="good"]').waitFor(WAIT);
}

async function say(page: Page, text: string): Promise<void> {
  await page.locator('#line').fill(text);
  await page.locator('#line').press('Enter');
}

/** The texts of the focused buffer's chat lines, as `nick: text`. */
async function chatLines(page: Page): Promise<string[]> {
  return page
    .locator('#log .line.is-chat')
    .evaluateAll((items) =>
      items.map(
        (item) => `${item.querySelector('.nick')?.textContent}: ${item.querySelector('.text')?.textContent}`,
      ),
    );
}

describe('the web client in a browser', { skip: noBrowser }, () => {
  test('two browsers and a terminal client chat in one room', async (t) => {
    const { relay, url } = await relayWithWeb(t);
    const alice = await openBrowser(t);
    const bob = await openBrowser(t, { width: 390, height: 760 });
    await joinAs(alice.page, url, 'alice');
    await joinAs(bob.page, url, 'bob');
    const carol = terminalClient(t, relay, 'carol');
    await carol.waitForLine('*** welcome, carol ***');

    await say(alice.page, 'hello from a browser');
    await bob.page.locator('#log .line.is-chat .text', { hasText: 'hello from a browser' }).waitFor(WAIT);
    await carol.waitForLine('<alice> hello from a browser');
    // Alice's own line loses its pending mark once the relay has acknowledged it.
    const own = alice.page.locator('#log .line.is-chat.own', { hasText: 'hello from a browser' });
    await own.waitFor(WAIT);
    await alice.page.locator('#log .line.is-chat.own .delivery').waitFor({ state: 'detached', ...WAIT });

    carol.writeLine('alice: the terminal says hi');
    const mention = alice.page.locator('#log .line.is-chat.mention', { hasText: 'the terminal says hi' });
    await mention.waitFor(WAIT);
    await bob.page.locator('#log .line.is-chat', { hasText: 'the terminal says hi' }).waitFor(WAIT);

    // A room of their own: bob joins #web, alice sees it in her buffer list once she joins too.
    await say(bob.page, '/join #web');
    await bob.page.locator('#title', { hasText: '#web' }).waitFor(WAIT);
    await say(alice.page, '/join #web');
    await alice.page.locator('#title', { hasText: '#web' }).waitFor(WAIT);
    await say(bob.page, 'only in #web');
    await alice.page.locator('#log .line.is-chat', { hasText: 'only in #web' }).waitFor(WAIT);
    await alice.page.locator('#nick-list .person', { hasText: 'bob' }).waitFor(WAIT);
    // Back in the lobby, a line there counts as unread in #web's neighbour.
    await alice.page.locator('#buffer-list .buffer', { hasText: '#lobby' }).click();
    await say(bob.page, 'are you still here?');
    const web = alice.page.locator('#buffer-list .buffer', { hasText: '#web' });
    await web.locator('.unread:not([hidden])', { hasText: '1' }).waitFor(WAIT);

    // A private message opens a buffer of its own, marked as a mention.
    carol.writeLine('/msg alice psst');
    await alice.page.locator('#buffer-list .buffer.dm.mention', { hasText: 'carol' }).waitFor(WAIT);

    // Completion: Tab completes a command and a nick.
    await alice.page.locator('#line').fill('/jo');
    await alice.page.locator('#line').press('Tab');
    assert.equal(await alice.page.locator('#line').inputValue(), '/join ');
    await alice.page.locator('#line').fill('');

    assert.deepEqual(await chatLines(bob.page), ['bob: only in #web', 'bob: are you still here?']);
    assert.deepEqual(alice.errors, [], 'no script error and no CSP violation');
    assert.deepEqual(bob.errors, []);
    const shot = process.env.WEB_SCREENSHOT;
    if (shot !== undefined && shot !== '') await alice.page.screenshot({ path: shot });
  });

  test('a browser reconnects by itself after the relay restarts, and chats again', async (t) => {
    const first = await relayWithWeb(t);
    const webPort = new URL(first.url).port;
    const udpPort = first.relay.port;
    const alice = await openBrowser(t);
    await joinAs(alice.page, first.url, 'alice');
    await say(alice.page, '/join #ops');
    await alice.page.locator('#title', { hasText: '#ops' }).waitFor(WAIT);
    await first.relay.process.stop();
    await alice.page.locator('#connection[data-tone="bad"]').waitFor(WAIT);

    const second = await relayWithWeb(t, ['--port', String(udpPort), '--web', `127.0.0.1:${webPort}`]);
    void second;
    await alice.page.locator('#connection[data-tone="good"]').waitFor({ timeout: 20_000 });
    const bob = terminalClient(t, second.relay, 'bob');
    await bob.waitForLine('*** welcome, bob ***');
    bob.writeLine('/join #ops');
    // Alice is back in #ops: the client rejoined her rooms after the relay welcomed her again.
    await bob.waitForLine(/alice/, { timeoutMs: 10_000 });
    bob.writeLine('welcome back');
    await alice.page.locator('#log .line.is-chat', { hasText: 'welcome back' }).waitFor(WAIT);
    assert.deepEqual(
      alice.errors.filter((e) => !e.includes('WebSocket')),
      [],
    );
  });
});
