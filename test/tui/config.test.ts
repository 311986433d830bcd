/** The config file: where it lives, what it may say, and how a mistake is reported. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, configPath, configTemplate, loadConfig, parseConfig } from '../../src/tui/config.ts';
import { DEFAULT_THEME } from '../../src/tui/screen/theme.ts';
import { formatTimestamp } from '../../src/tui/screen/timestamp.ts';

describe('config path', () => {
  test('$XDG_CONFIG_HOME when absolute, else ~/.config', () => {
    assert.equal(configPath({ XDG_CONFIG_HOME: '/x' }, '/home/a'), '/x/udpchat/config.toml');
    assert.equal(configPath({}, '/home/a'), '/home/a/.config/udpchat/config.toml');
    assert.equal(
      configPath({ XDG_CONFIG_HOME: 'relative' }, '/home/a'),
      '/home/a/.config/udpchat/config.toml',
    );
  });
});

describe('parseConfig', () => {
  test('a full file', () => {
    const config = parseConfig(
      `nick = "alice"
timestamp = "%H:%M:%S"
[relay]
host = "chat.example.org"
port = 9000
[colours]
nicks = [1, 2, 3]
mention = 196
bar_bg = 17
`,
      'c.toml',
    );
    assert.equal(config.nick, 'alice');
    assert.equal(config.host, 'chat.example.org');
    assert.equal(config.port, 9000);
    assert.equal(config.timestamp, '%H:%M:%S');
    assert.deepEqual(config.theme.nicks, [1, 2, 3]);
    assert.equal(config.theme.mention, 196);
    assert.equal(config.theme.barBg, 17);
    assert.equal(config.theme.own, DEFAULT_THEME.own);
  });

  test('an empty file is all defaults', () => {
    assert.deepEqual(parseConfig('', 'c.toml'), { timestamp: '%H:%M', theme: DEFAULT_THEME });
  });

  const mistakes: [string, RegExp][] = [
    ['nik = "a"', /c\.toml: unknown key "nik" \(known: nick, relay, timestamp, colours\)/],
    ['nick = "#room"', /"nick" is not a valid nickname/],
    ['[relay]\nport = 70000', /"relay\.port" must be a port number 1-65535, got 70000/],
    ['[relay]\nhostname = "x"', /unknown key "relay\.hostname"/],
    ['timestamp = "%Q"', /"timestamp": unknown directive "%Q"/],
    ['[colours]\nown = 300', /"colours\.own" must be an xterm colour number 0-255, got 300/],
    ['[colours]\nnicks = []', /"colours\.nicks" must be a non-empty array/],
    ['nick = ', /c\.toml \(line 1, column \d+\):/],
  ];
  for (const [text, message] of mistakes) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseConfig(text, 'c.toml'),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  test('the first-run template parses back to its nick', () => {
    assert.equal(parseConfig(configTemplate('王様'), 'c.toml').nick, '王様');
  });
});

describe('loadConfig', () => {
  test('a missing default file is no error; a missing --config file is; NO_COLOR wins', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'udpchat-config-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const missing = join(dir, 'none.toml');
    assert.equal((await loadConfig(missing, false)).theme.enabled, true);
    await assert.rejects(loadConfig(missing, true), ConfigError);
    const file = join(dir, 'c.toml');
    await writeFile(file, 'nick = "bob"\n');
    const config = await loadConfig(file, true, true);
    assert.deepEqual([config.nick, config.theme.enabled], ['bob', false]);
  });
});

describe('timestamps', () => {
  test('the strftime subset', () => {
    const at = new Date(2024, 0, 2, 9, 5, 7);
    assert.equal(formatTimestamp('%H:%M:%S %d/%m/%Y %a %b %%', at), '09:05:07 02/01/2024 Tue Jan %');
  });
});
