/**
 * Tab completion, irssi-style: Tab completes the word before the cursor and each further Tab (Shift-Tab
 * backwards) cycles through the other candidates. `/` at the start of the line completes a command, `#` a
 * room, anything else a nick of the current buffer (recent speakers first). A nick completed at the start of
 * the line gets `: ` after it, as addressing someone does in IRC. Any other key ends the cycle.
 */
import type { InputLine } from './input-line.ts';

export interface CompletionSources {
  /** With their `/`. */
  readonly commands: readonly string[];
  readonly rooms: readonly string[];
  /** In the order they should be offered. */
  readonly nicks: readonly string[];
}

interface Cycle {
  readonly start: number;
  readonly candidates: readonly string[];
  readonly suffix: string;
  index: number;
  /** Clusters the current candidate and its suffix take in the line. */
  length: number;
}

export class Completer {
  private cycle: Cycle | null = null;

  /** Tab (step 1) or Shift-Tab (step -1). Returns false when there was nothing to complete. */
  complete(input: InputLine, sources: CompletionSources, step: 1 | -1): boolean {
    if (this.cycle === null) return this.begin(input, sources, step);
    const cycle = this.cycle;
    const count = cycle.candidates.length;
    cycle.index = (cycle.index + step + count) % count;
    this.apply(input, cycle, cycle.start + cycle.length);
    return true;
  }

  /** Any key but Tab: the completed word stays as it is. */
  reset(): void {
    this.cycle = null;
  }

  private begin(input: InputLine, sources: CompletionSources, step: 1 | -1): boolean {
    const cursor = input.cursor;
    const start = wordStart(input.clusters, cursor);
    const word = input.clusters.slice(start, cursor).join('');
    const pool = candidatePool(word, start, sources);
    const wanted = word.toLowerCase();
    const candidates = pool.filter((candidate) => candidate.toLowerCase().startsWith(wanted));
    if (candidates.length === 0) return false;
    const nickAtStart = start === 0 && !word.startsWith('/') && !word.startsWith('#');
    const cycle: Cycle = {
      start,
      candidates,
      suffix: nickAtStart ? ': ' : ' ',
      index: step === 1 ? 0 : candidates.length - 1,
      length: cursor - start,
    };
    this.cycle = cycle;
    this.apply(input, cycle, cursor);
    return true;
  }

  private apply(input: InputLine, cycle: Cycle, end: number): void {
    const text = `${cycle.candidates[cycle.index] ?? ''}${cycle.suffix}`;
    input.replace(cycle.start, end, text);
    cycle.length = input.cursor - cycle.start;
  }
}

function candidatePool(word: string, start: number, sources: CompletionSources): readonly string[] {
  if (start === 0 && word.startsWith('/')) return sources.commands;
  if (word.startsWith('#')) return sources.rooms;
  return sources.nicks;
}

function wordStart(clusters: readonly string[], cursor: number): number {
  let index = cursor;
  while (index > 0 && !/^\s+$/u.test(clusters[index - 1] ?? '')) index -= 1;
  return index;
}
