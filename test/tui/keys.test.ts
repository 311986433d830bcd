/** Decoding raw terminal input into keys, and the keys' bindings. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actionFor } from '../../src/tui/screen/key-bindings.ts';
import { type Key, KeyDecoder, key } from '../../src/tui/screen/keys.ts';

function decode(...chunks: string[]): Key[] {
  const decoder = new KeyDecoder();
  return chunks.flatMap((chunk) => decoder.feed(chunk));
}

describe('KeyDecoder', () => {
  test('text, Enter, Tab, Backspace and control letters', () => {
    assert.deepEqual(decode('hé王\r\t\x7f\x01\x17'), [
      { kind: 'text', text: 'hé王' },
      key('enter'),
      key('tab'),
      key('backspace'),
      key('a', { ctrl: true }),
      key('w', { ctrl: true }),
    ]);
  });

  test('arrows, Home/End and PgUp/PgDn in the CSI and SS3 forms, with modifiers', () => {
    assert.deepEqual(decode('\x1b[A\x1bOB\x1b[H\x1b[4~\x1b[5~\x1b[6~\x1b[1;5C\x1b[3~\x1b[Z'), [
      key('up'),
      key('down'),
      key('home'),
      key('end'),
      key('pageup'),
      key('pagedown'),
      key('right', { ctrl: true }),
      key('delete'),
      key('tab', { shift: true }),
    ]);
  });

  test('Alt is an ESC prefix: Alt-1, Alt-b, Alt-Backspace', () => {
    assert.deepEqual(decode('\x1b1\x1bb\x1b\x7f'), [
      key('1', { alt: true }),
      key('b', { alt: true }),
      key('backspace', { alt: true }),
    ]);
  });

  test('a sequence split across reads is put together', () => {
    assert.deepEqual(decode('\x1b', '[', '5', '~'), [key('pageup')]);
  });

  test('a lone ESC waits, then flush() makes it the Escape key', () => {
    const decoder = new KeyDecoder();
    assert.deepEqual(decoder.feed('\x1b'), []);
    assert.equal(decoder.waiting, true);
    assert.deepEqual(decoder.flush(), [key('escape')]);
  });

  test('bracketed paste is text, escapes and line breaks included, even split across reads', () => {
    assert.deepEqual(decode('\x1b[200~line 1\r\nline\x1b[A', ' 2\x1b[20', '1~x'), [
      { kind: 'paste', text: 'line 1\r\nline\x1b[A 2' },
      { kind: 'text', text: 'x' },
    ]);
  });

  test('8-bit C1 controls are never text', () => {
    assert.deepEqual(decode('a\u009bb'), [{ kind: 'text', text: 'ab' }]);
  });
});

describe('bindings', () => {
  test('irssi buffer keys and readline editing keys', () => {
    assert.deepEqual(actionFor(key('3', { alt: true })), { kind: 'focus', number: 3 });
    assert.deepEqual(actionFor(key('0', { alt: true })), { kind: 'focus', number: 10 });
    assert.deepEqual(actionFor(key('n', { ctrl: true })), { kind: 'next-buffer' });
    assert.deepEqual(actionFor(key('w', { ctrl: true })), { kind: 'edit', edit: 'killWordBackward' });
    assert.deepEqual(actionFor(key('up')), { kind: 'edit', edit: 'historyBack' });
    assert.deepEqual(actionFor(key('pageup')), { kind: 'page-up' });
    assert.deepEqual(actionFor(key('tab', { shift: true })), { kind: 'complete-back' });
    assert.equal(actionFor({ kind: 'text', text: 'a' }), null);
  });
});
