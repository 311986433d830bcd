/** The input line (editing, history) and Tab completion, without a terminal. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Completer, type CompletionSources } from '../../src/tui/screen/completion.ts';
import { InputLine } from '../../src/tui/screen/input-line.ts';

function typed(text: string): InputLine {
  const input = new InputLine();
  input.insert(text);
  return input;
}

describe('editing', () => {
  test('Ctrl-A/E, arrows and insertion in the middle', () => {
    const input = typed('hllo');
    input.home();
    input.moveRight();
    input.insert('e');
    assert.deepEqual([input.text, input.cursor], ['hello', 2]);
    input.end();
    assert.equal(input.cursor, 5);
  });

  test('Ctrl-W kills the word before the cursor, Ctrl-Y puts it back', () => {
    const input = typed('say hello world  ');
    input.killWordBackward();
    assert.equal(input.text, 'say hello ');
    input.yank();
    assert.equal(input.text, 'say hello world  ');
  });

  test('Ctrl-U and Ctrl-K kill to the start and to the end', () => {
    const input = typed('abc def');
    input.wordLeft();
    input.killToEnd();
    assert.equal(input.text, 'abc ');
    input.killToStart();
    assert.deepEqual([input.text, input.cursor], ['', 0]);
  });

  test('the cursor steps over a grapheme cluster as one character', () => {
    const input = typed('a😀e\u0301王');
    assert.equal(input.clusters.length, 4);
    input.moveLeft();
    input.moveLeft();
    input.deleteBackward();
    assert.equal(input.text, 'ae\u0301王');
  });

  test('a combining mark typed after a letter joins its cluster', () => {
    const input = typed('e');
    input.insert('\u0301');
    assert.deepEqual(input.clusters, ['e\u0301']);
  });
});

describe('history', () => {
  test('Up recalls sent lines, Down comes back to the draft being typed', () => {
    const input = new InputLine();
    for (const line of ['first', 'second']) {
      input.insert(line);
      input.commit();
    }
    input.insert('draft');
    input.historyBack();
    assert.equal(input.text, 'second');
    input.historyBack();
    input.historyBack();
    assert.equal(input.text, 'first', 'stops at the oldest');
    input.historyForward();
    input.historyForward();
    assert.equal(input.text, 'draft');
  });

  test('an immediate repeat and a blank line are not recorded', () => {
    const input = new InputLine();
    for (const line of ['same', 'same', '   ']) {
      input.insert(line);
      input.commit();
    }
    input.historyBack();
    input.historyBack();
    assert.equal(input.text, 'same');
  });
});

describe('completion', () => {
  const sources: CompletionSources = {
    commands: ['/join', '/help', '/switch'],
    rooms: ['#rust', '#ruby', '#go'],
    nicks: ['carol', 'Bob', 'bobby'],
  };

  test('a nick at the start of the line gets ": ", cycling with Tab and Shift-Tab', () => {
    const input = typed('bo');
    const completer = new Completer();
    assert.equal(completer.complete(input, sources, 1), true);
    assert.equal(input.text, 'Bob: ');
    completer.complete(input, sources, 1);
    assert.equal(input.text, 'bobby: ');
    completer.complete(input, sources, 1);
    assert.equal(input.text, 'Bob: ', 'wraps around');
    completer.complete(input, sources, -1);
    assert.equal(input.text, 'bobby: ');
  });

  test('later in the line a nick gets a space; text after the cursor stays', () => {
    const input = typed('hi ca and more');
    for (let i = 0; i < ' and more'.length; i += 1) input.moveLeft();
    new Completer().complete(input, sources, 1);
    assert.equal(input.text, 'hi carol  and more');
  });

  test('/ at the start completes commands, # completes rooms', () => {
    const command = typed('/sw');
    new Completer().complete(command, sources, 1);
    assert.equal(command.text, '/switch ');
    const room = typed('/join #ru');
    const completer = new Completer();
    completer.complete(room, sources, 1);
    completer.complete(room, sources, 1);
    assert.equal(room.text, '/join #ruby ');
  });

  test('no candidate: nothing changes; another key ends the cycle', () => {
    const input = typed('zz');
    const completer = new Completer();
    assert.equal(completer.complete(input, sources, 1), false);
    assert.equal(input.text, 'zz');
    const other = typed('c');
    completer.complete(other, sources, 1);
    completer.reset();
    other.insert('x');
    completer.complete(other, sources, 1);
    assert.equal(other.text, 'carol: x', 'a fresh completion of a word with no match keeps the text');
  });
});
