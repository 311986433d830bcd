/** The frames a v2 DATA datagram carries (docs/PROTOCOL-v2.md, "Frames inside DATA"). */

/** One v1 line (without its `\n`), numbered in its direction. */
export interface LineFrame {
  readonly type: 'line';
  readonly seq: number;
  readonly text: string;
}

/** The sender abandoned every line before `seq`. */
export interface SkipFrame {
  readonly type: 'skip';
  readonly seq: number;
}

/** Keep-alive: asks the peer to acknowledge now. */
export interface PingFrame {
  readonly type: 'ping';
}

export type Frame = LineFrame | SkipFrame | PingFrame;

/** The acknowledgement every DATA carries: the lowest line not yet received, and which later ones were. */
export interface AckInfo {
  /** The lowest line number not yet received (everything below was received or skipped). */
  readonly next: number;
  /** Bit i (least significant first) set: line `next + 1 + i` was received. 32 bits. */
  readonly bitmap: number;
}
