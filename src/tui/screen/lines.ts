/**
 * What a buffer holds: one entry per thing that happened, not per screen row. Rows are made from these at
 * render time (line-view.ts), so a resize re-wraps everything and nothing is lost.
 */

/** A join, part or quit; consecutive ones are collapsed into one line (presence.ts). */
export type PresenceItem =
  | { readonly kind: 'joined'; readonly nick: string }
  | { readonly kind: 'left'; readonly nick: string; readonly reason: string }
  | { readonly kind: 'quit'; readonly nick: string; readonly reason: string }
  | { readonly kind: 'timed-out'; readonly nick: string }
  | { readonly kind: 'renamed'; readonly nick: string; readonly to: string };

/**
 * Where one of our own lines stands with the relay (protocol v2): sent and not yet acknowledged, or given up
 * unacknowledged. Absent once acknowledged, over v1 (nothing confirms a line) and on everyone else's lines.
 */
export type Delivery = 'pending' | 'failed';

/** How a line from the client itself reads: information, good news or a problem. */
export type LocalTone = 'info' | 'good' | 'error';

export type LineBody =
  /** A chat line or action; `mention` when it names us (or is a private message to us). */
  | {
      readonly kind: 'chat' | 'action';
      readonly nick: string;
      readonly text: string;
      readonly own: boolean;
      readonly mention: boolean;
      readonly delivery?: Delivery;
      /** Opened with the room's key (docs/PROTOCOL-v2.md 13): marked where no sender's text can go. */
      readonly sealed?: true;
    }
  /**
   * A kept line the relay sent as history (/history, on join, a gap fill): shown apart from live lines,
   * at the time it was said, and never counted as unread.
   */
  | {
      readonly kind: 'history';
      readonly nick: string;
      readonly text: string;
      readonly action: boolean;
      readonly said: Date;
      readonly sealed?: true;
    }
  /** A relay notice, as the relay worded it. */
  | { readonly kind: 'notice'; readonly text: string }
  /** A relay line of no known shape, as received (sanitised). */
  | { readonly kind: 'raw'; readonly text: string }
  /** Something the client says (connection news, local errors, /help): never from the network. */
  | { readonly kind: 'local'; readonly text: string; readonly tone: LocalTone }
  | { readonly kind: 'presence'; readonly items: readonly PresenceItem[] }
  | { readonly kind: 'day'; readonly at: Date };

export interface BufferLine {
  /** Increases across all buffers; the read marker and the row cache key on it. */
  readonly seq: number;
  readonly at: Date;
  readonly body: LineBody;
}

/** A chat line or action: the lines that can be ours, and so carry a delivery mark. */
export type MessageBody = Extract<LineBody, { readonly kind: 'chat' | 'action' }>;

/** `body` with its delivery mark set, or without one (null: acknowledged, or nothing will confirm it). */
export function withDelivery(body: MessageBody, delivery: Delivery | null): MessageBody {
  const { kind, nick, text, own, mention } = body;
  const sealed = body.sealed === true ? { sealed: true as const } : {};
  return delivery === null
    ? { kind, nick, text, own, mention, ...sealed }
    : { kind, nick, text, own, mention, ...sealed, delivery };
}

/** True for what counts as unread: someone else's words. */
export function isMessage(body: LineBody): boolean {
  return (body.kind === 'chat' || body.kind === 'action') && !body.own;
}
