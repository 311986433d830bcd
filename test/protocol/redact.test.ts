import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstWord } from '../../src/protocol/command-line.ts';
import { REDACTED_SECRET, redactSecrets } from '../../src/protocol/redact.ts';
import { formatTrace } from '../../src/protocol/trace-format.ts';

const PEER = { host: '127.0.0.1', port: 5000 };

describe('redactSecrets: a /join secret never reaches a trace', () => {
  it('the secret of an authenticated /join is replaced, the nick is kept', () => {
    assert.equal(redactSecrets('/join alice hunter2\n'), `/join alice ${REDACTED_SECRET}\n`);
  });

  it('a secret with spaces inside is hidden whole', () => {
    assert.equal(redactSecrets('/join alice correct horse battery'), '/join alice <secret redacted>');
  });

  it('a /join without a secret, or with only blanks after the nick, is left alone', () => {
    for (const text of ['/join alice\n', '/join alice   \n', '/join #room\n', '/join\n', '/joinx a b\n']) {
      assert.equal(redactSecrets(text), text);
    }
  });

  it('other lines are left alone, even ones that mention /join', () => {
    const text = 'hello /join alice secret\n/msg bob /join alice secret\n';
    assert.equal(redactSecrets(text), text);
  });

  it('the command name is matched in any case, as the relay parses it', () => {
    assert.equal(redactSecrets('/JOIN alice s3cret\n'), '/JOIN alice <secret redacted>\n');
    assert.equal(redactSecrets('/Join alice s3cret\n'), '/Join alice <secret redacted>\n');
  });

  it('every line of a datagram is redacted and the \\r\\n framing is kept', () => {
    assert.equal(
      redactSecrets('/join alice one\r\nhi\r\n/join bob two\n'),
      '/join alice <secret redacted>\r\nhi\r\n/join bob <secret redacted>\n',
    );
  });

  it('odd separators the relay would still read as "nick then secret" are covered', () => {
    for (const text of [
      '/join alice\thunter2',
      '/join  alice  hunter2',
      '/join alice\u00a0hunter2',
      '/join alice\u3000hunter2',
      '/join alice\u2028hunter2',
      ' /join alice hunter2',
      '\ufeff/join alice hunter2',
      '/join\talice hunter2',
    ]) {
      const redacted = redactSecrets(text);
      assert.ok(!redacted.includes('hunter2'), JSON.stringify(text));
      assert.ok(redacted.endsWith(REDACTED_SECRET), JSON.stringify(text));
    }
  });

  it('a secret holding a lone \\r or a control character is hidden whole', () => {
    assert.equal(redactSecrets('/join alice se\rcret\n'), '/join alice <secret redacted>\n');
    assert.equal(redactSecrets('/join alice se\x07cret'), '/join alice <secret redacted>');
  });

  it('whatever the relay takes for the secret is no longer in the text', () => {
    for (const secret of ['x', 'hunter2', 'a b c', 'ünïcödé', '🔑🔑', '--', '/join bob x']) {
      const line = `/join alice ${secret}`;
      const [, parsed] = firstWord(line.slice('/join '.length));
      assert.equal(parsed, secret);
      assert.equal(redactSecrets(line), '/join alice <secret redacted>');
    }
  });
});

describe('formatTrace redacts before it escapes', () => {
  it('a traced /join shows the nick and hides the secret', () => {
    const bytes = new TextEncoder().encode('/join alice rightsecret\n');
    const line = formatTrace('in', PEER, bytes);
    assert.equal(line, `in  127.0.0.1:5000 ${bytes.byteLength}B "/join alice <secret redacted>\\n"`);
  });

  it('a secret after invalid UTF-8 in the nick is still hidden', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('/join al'),
      0xff,
      ...new TextEncoder().encode('ice s3cret\n'),
    ]);
    assert.ok(!formatTrace('in', PEER, bytes).includes('s3cret'));
  });
});
