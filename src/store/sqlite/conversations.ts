/**
 * The per-conversation counters the store keeps in memory (a room's history, or one private pair's):
 * which row number it has in the file, the last id handed out, and how many committed lines it holds.
 * Ids are handed out here, synchronously; the counts steer retention without counting rows.
 */
import { conversationKey } from '../history-query.ts';

export interface Conversation {
  /** Its row in history_rooms or private_pairs. */
  readonly ref: number;
  /** The highest id handed out (committed or not). */
  lastId: number;
  /** Committed lines not yet pruned. */
  count: number;
}

export interface RoomConversation extends Conversation {
  readonly key: string;
}

export interface PairConversation extends Conversation {
  readonly lowKey: string;
  readonly highKey: string;
}

/** The conversations of one table, by key, with the next free row number. */
export class ConversationTable<Entry extends Conversation> {
  private readonly byKey = new Map<string, Entry>();
  private readonly byRef = new Map<number, Entry>();
  private nextRef = 1;

  add(key: string, entry: Entry): void {
    this.byKey.set(key, entry);
    this.byRef.set(entry.ref, entry);
    this.nextRef = Math.max(this.nextRef, entry.ref + 1);
  }

  get(key: string): Entry | undefined {
    return this.byKey.get(key);
  }

  byRow(ref: number): Entry | undefined {
    return this.byRef.get(ref);
  }

  /** The entry of `key`, made with a fresh row number when there is none (its row is written with its first line). */
  getOrMake(key: string, make: (ref: number) => Entry): Entry {
    let entry = this.byKey.get(key);
    if (entry === undefined) {
      entry = make(this.nextRef);
      this.add(key, entry);
    }
    return entry;
  }

  values(): IterableIterator<Entry> {
    return this.byKey.values();
  }
}

export function pairKey(entry: PairConversation): string {
  return conversationKey(entry.lowKey, entry.highKey);
}
