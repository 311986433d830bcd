/** What a command is to a reader: its name and help text, and whether it spends a line token. */
export interface CommandInfo {
  /** The command's name, lower case, without the slash. */
  readonly name: string;
  /** As documented and shown by /help, e.g. `/join <nick> [secret] | /join #room`. */
  readonly syntax: string;
  readonly summary: string;
  /** Keep-alives and /leave bypass flood control; everything else spends a line token. */
  readonly throttled: boolean;
}
