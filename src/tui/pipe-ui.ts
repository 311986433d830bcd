/**
 * The client as a line filter, for when stdin is not a terminal: each stdin line is sent, each relay line
 * (already sanitised, /pong excepted) is printed to stdout exactly as received. No prompt, no colour;
 * everything the client itself has to say goes to stderr so stdout stays the relay's lines only.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChatClientApi } from '../client-host/chat-client-api.ts';
import { ChatExit, onTerminationSignals } from './chat-exit.ts';
import { answeringMessage, movedText, rejoiningMessage, silenceMessage, skippedText } from './format.ts';
import { UndeliveredReporter } from './pending-lines.ts';
import { RoomKeys, type RoomLineSeen } from './room-keys.ts';

export interface PipeUiOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly errors: Writable;
  /** A human label for the relay in messages on stderr, e.g. `127.0.0.1:9999`. */
  readonly relayLabel: string;
}

/** Runs until stdin ends, a `/leave` line, a signal, or a refusal; resolves with the process exit code. */
export function runPipeUi(client: ChatClientApi, options: PipeUiOptions): Promise<number> {
  return new PipeUi(client, options).run();
}

class PipeUi {
  private rl: Interface | undefined;
  private readonly exit: ChatExit;
  private readonly undelivered: UndeliveredReporter;
  private readonly roomKeys: RoomKeys;
  /** stdin's lines, one after another: a line after a /key waits until the key is held. */
  private queue: Promise<void> = Promise.resolve();
  private removeSignals: () => void = () => {};

  constructor(
    private readonly client: ChatClientApi,
    private readonly options: PipeUiOptions,
  ) {
    this.exit = new ChatExit(client, () => this.cleanup());
    // stdout stays the relay's lines only: a line the relay never acknowledged is reported on stderr.
    this.undelivered = new UndeliveredReporter(client, (message) => this.warn(message));
    this.roomKeys = new RoomKeys(client, (note) => this.warn(note.text));
  }

  run(): Promise<number> {
    this.showRelayEvents();
    // stdin is read only once the relay has welcomed us: a piped line must not overtake the /join (the relay
    // would answer "please /join") and stdin's end must not send /leave before we are joined.
    this.client.on('welcome', () => this.startReading());
    this.removeSignals = onTerminationSignals(() => this.exit.end(0));
    return this.exit.code;
  }

  private showRelayEvents(): void {
    const relay = this.options.relayLabel;
    const print = (e: { readonly line: string }): void => this.print(e.line);
    // An encrypted line is printed as the client library shows it; the advice about it once, on stderr.
    const roomLine = (e: { readonly line: string; readonly room: string } & RoomLineSeen): void => {
      this.roomKeys.seen(e);
      this.print(e.line);
    };
    this.client.on('welcome', print);
    this.client.on('notice', print);
    this.client.on('chat', roomLine);
    this.client.on('action', roomLine);
    this.client.on('private', print);
    this.client.on('line', print);
    this.client.on('history', roomLine);
    this.client.on('history-end', print);
    this.client.on('gap-filled', (e) => this.warn(`${e.count} lines in ${e.room} while you were away`));
    this.client.on('silent', (e) => this.warn(silenceMessage(relay, e.seconds)));
    this.client.on('answering', (e) => this.warn(answeringMessage(relay, e.silentSeconds)));
    this.client.on('rejoining', () => this.warn(rejoiningMessage(relay)));
    this.client.on('moved', (e) => this.warn(movedText(e, this.client.nick)));
    this.client.on('relay-skipped', (e) => this.warn(skippedText(e)));
    this.client.on('refused', (e) => {
      this.print(e.line);
      this.exit.end(1);
    });
    this.client.on('error', (e) => {
      this.warn(e.message);
      this.exit.end(1);
    });
  }

  private startReading(): void {
    if (this.rl !== undefined || this.exit.ending) return;
    this.rl = createInterface({
      input: this.options.input,
      terminal: false,
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    this.rl.on('line', (line) => {
      this.queue = this.queue.then(() => this.onInput(line));
    });
    // stdin's end leaves once every line before it was said (a /key may still be deriving its key).
    this.rl.on('close', () => {
      this.queue = this.queue.then(() => this.exit.end(0));
    });
  }

  private async onInput(line: string): Promise<void> {
    if (this.exit.ending) return;
    if (line === '/leave') {
      this.exit.end(0);
      return;
    }
    // Never sent, never echoed: the passphrase goes no further than the key derivation.
    if (this.roomKeys.takes(line)) return this.roomKeys.run(line);
    this.undelivered.say((text) => this.client.say(text), line);
  }

  private print(line: string): void {
    this.options.output.write(`${line}\n`);
  }

  private warn(message: string): void {
    this.options.errors.write(`udpchat: ${message}\n`);
  }

  private cleanup(): void {
    this.removeSignals();
    this.rl?.close();
    // Stop reading stdin so an open pipe does not keep the process alive after /leave.
    this.options.input.pause();
  }
}
