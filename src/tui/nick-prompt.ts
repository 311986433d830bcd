/**
 * The first run: no nick on the command line or in the config file, so the client asks for one (checked
 * with the relay's own nickname rules, so a refusal comes now rather than after connecting) and offers to
 * keep it in a new config file, so the next run just works.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { checkNick } from '../protocol/nick.ts';
import { configTemplate } from './config.ts';

export interface PromptStreams {
  readonly input: Readable;
  readonly output: Writable;
}

/** Asks until a valid nick is given; null when the user gives up (Ctrl-C, Ctrl-D). */
export async function promptForNick(streams: PromptStreams): Promise<string | null> {
  const rl = createInterface({ input: streams.input, output: streams.output, terminal: true });
  try {
    streams.output.write('No nickname given (as an argument or in the config file).\n');
    for (;;) {
      const answer = await ask(rl, 'Nickname: ');
      if (answer === null) return null;
      const check = checkNick(answer.trim());
      if (check.ok) return check.nick;
      streams.output.write(`  not a valid nickname: ${check.reason}\n`);
    }
  } finally {
    rl.close();
  }
}

/** Offers to save the nick in a new config file at `path`; an existing file is never rewritten (the user wrote it). */
export async function offerToSave(
  streams: PromptStreams,
  path: string,
  nick: string,
  exists: boolean,
): Promise<void> {
  if (exists) {
    streams.output.write(`(Add nick = ${JSON.stringify(nick)} to ${path} to skip this question.)\n`);
    return;
  }
  const rl = createInterface({ input: streams.input, output: streams.output, terminal: true });
  const answer = await ask(rl, `Save it as your default in ${path}? [Y/n] `);
  rl.close();
  if (answer === null || /^\s*n/i.test(answer)) return;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, configTemplate(nick), { flag: 'wx', mode: 0o600 });
    streams.output.write(`Saved. Edit ${path} to change it (and the relay, colours, timestamps).\n`);
  } catch (error) {
    // Not saving is no reason not to chat.
    streams.output.write(`Not saved: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/** One question; null on Ctrl-C or end of input. */
function ask(rl: Interface, question: string): Promise<string | null> {
  return new Promise((resolve) => {
    const onClose = (): void => resolve(null);
    rl.once('close', onClose);
    rl.once('SIGINT', () => rl.close());
    rl.question(question, (answer) => {
      rl.off('close', onClose);
      resolve(answer);
    });
  });
}
