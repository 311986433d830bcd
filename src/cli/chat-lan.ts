/**
 * `udpchat chat --multicast GROUP:PORT`: serverless LAN chat. The nick is checked by the LAN's rules
 * (no `#`: protocol/lan/lan-nick.ts), the group key derived, the group joined, and the same three UIs as
 * with a relay run on top: the full-screen client, the prompt UI (`--plain`) and the line filter.
 */

import { LanChat } from '../lan-host/lan-chat.ts';
import type { Address } from '../protocol/address.ts';
import { checkLanNick } from '../protocol/lan/lan-nick.ts';
import { systemClock } from '../transport/system-clock.ts';
import type { TraceSink } from '../transport/trace-sink.ts';
import type { ChatConfig } from '../tui/config.ts';
import { runLanPipeUi } from '../tui/lan-pipe-ui.ts';
import { runLanScreenUi } from '../tui/screen/lan-app.ts';
import { joiningGroup } from './group-join.ts';
import { UsageError } from './usage-error.ts';

export type UiKind = 'full-screen' | 'line' | 'pipe';

/** Flags of the LAN mode: meaningless without --multicast. */
export const LAN_ONLY_FLAGS: readonly string[] = ['listen-group', 'interface', 'ttl', 'group-key'];

export interface LanChatRun {
  readonly nick: string;
  readonly group: Address;
  /** `--listen-group`: the group heard instead of `group` (behind `udpchat chaos --multicast`). */
  readonly listenGroup: Address | null;
  readonly interfaceAddress: string | null;
  readonly ttl: number;
  readonly passphrase: string | null;
  readonly ui: UiKind;
  /** The config file's settings (terminal UIs), null for the line filter. */
  readonly config: ChatConfig | null;
  readonly trace?: TraceSink;
}

export async function runLanChat(run: LanChatRun): Promise<number> {
  const nick = checkLanNick(run.nick);
  if (!nick.ok) throw new UsageError('bad-value', `invalid nickname: ${nick.reason}`);
  const chat = await openLanChat({ ...run, nick: nick.nick });
  if (run.ui === 'full-screen' && run.config !== null)
    return runLanScreenUi(chat, {
      input: process.stdin,
      output: process.stdout,
      theme: run.config.theme,
      timestampFormat: run.config.timestamp,
      clock: systemClock,
    });
  return runLanPipeUi(chat, {
    input: process.stdin,
    output: process.stdout,
    errors: process.stderr,
    clock: systemClock,
  });
}

/** What joining a group takes. */
export type LanGroupRun = Pick<
  LanChatRun,
  'nick' | 'group' | 'listenGroup' | 'interfaceAddress' | 'ttl' | 'passphrase' | 'trace'
>;

/** A group that cannot be joined here (no such interface, no route for multicast) is a usage error. */
export function openLanChat(run: LanGroupRun): Promise<LanChat> {
  return joiningGroup(run.listenGroup ?? run.group, run.interfaceAddress, () =>
    LanChat.open({
      nick: run.nick,
      group: run.group,
      listenGroup: run.listenGroup,
      interfaceAddress: run.interfaceAddress,
      ttl: run.ttl,
      passphrase: run.passphrase,
      ...(run.trace ? { trace: run.trace } : {}),
    }),
  );
}
