/**
 * A mistake in the command line: `udpchat` prints `udpchat <command>: <message>` on one line and exits
 * with status 2. Every flag, value and argument check of every subcommand (relay, chat, chaos, account,
 * top, bench) throws this one class.
 */

/** What kind of mistake, for tests and for callers that react to one kind (the message is for people). */
export type UsageErrorCode =
  | 'unknown-command'
  | 'unknown-flag'
  | 'missing-value'
  | 'bad-value'
  | 'missing-flag'
  | 'missing-argument'
  | 'unexpected-argument'
  | 'conflict';

export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    readonly code: UsageErrorCode,
    message: string,
    /** The subcommand it is about (`relay`, `account add`); undefined for `udpchat` itself. */
    readonly command?: string,
  ) {
    super(message);
  }

  /** The same error, said about `command` (the first command to set it wins). */
  about(command: string): UsageError {
    return this.command === undefined ? new UsageError(this.code, this.message, command) : this;
  }
}
