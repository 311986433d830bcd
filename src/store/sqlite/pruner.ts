/**
 * Retention in the file: lines past a conversation's max count, then lines past the max age, removed in
 * small transactions (at most PRUNE_BATCH lines each) on the store's timer, never on the datagram path.
 * Only committed lines are pruned; the counters in memory and in the file are updated together.
 */
import type { Retention } from '../retention.ts';
import type { Conversation, ConversationTable } from './conversations.ts';
import type { LinePruning } from './statements.ts';

export interface PrunedTable {
  readonly conversations: ConversationTable<Conversation>;
  readonly pruning: LinePruning;
}

/**
 * One step over the tables; run inside a transaction. Returns how many lines it removed, and the count
 * changes to apply once the transaction has committed.
 */
export function pruneStep(
  tables: readonly PrunedTable[],
  retention: Retention,
  now: number,
  budget: number,
): { removed: number; apply: () => void } {
  const changes = new Map<Conversation, Removed>();
  let left = budget;
  for (const { conversations, pruning } of tables) {
    for (const conversation of conversations.values()) {
      if (left === 0) break;
      const excess = Math.min(conversation.count - retention.maxLines, left);
      if (excess <= 0) continue;
      const removed = pruning.oldest.run(conversation.ref, conversation.ref, excess - 1).changes;
      note(changes, conversation, pruning, removed);
      left -= removed;
    }
  }
  if (Number.isFinite(retention.maxAgeMs))
    for (const { conversations, pruning } of tables) {
      if (left === 0) break;
      for (const { ref } of pruning.aged.all(now - retention.maxAgeMs, left)) {
        const conversation = conversations.byRow(ref);
        if (conversation !== undefined) note(changes, conversation, pruning, 1);
        left -= 1;
      }
    }
  for (const [conversation, { pruning, removed }] of changes)
    pruning.setCount.run(conversation.count - removed, conversation.ref);
  return {
    removed: budget - left,
    apply: () => {
      for (const [conversation, { removed }] of changes) conversation.count -= removed;
    },
  };
}

interface Removed {
  readonly pruning: LinePruning;
  removed: number;
}

function note(
  changes: Map<Conversation, Removed>,
  conversation: Conversation,
  pruning: LinePruning,
  removed: number,
): void {
  if (removed === 0) return;
  const entry = changes.get(conversation);
  if (entry === undefined) changes.set(conversation, { pruning, removed });
  else entry.removed += removed;
}
