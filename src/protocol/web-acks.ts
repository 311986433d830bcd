/**
 * The acknowledgement tags of the `udpchat-v1-ack` WebSocket subprotocol (docs/PROTOCOL.md,
 * "Acknowledgements"), read on both sides: the relay takes the id off a client's message, the web client
 * reads the relay's `@ack=N` and `@nak=N reason`. Pure, like the rest of protocol/.
 */
import { MAX_WEB_ACK_ID } from './limits.ts';
import { ACK_ID_TAG, ACKED_TAG, REFUSED_TAG } from './messages.ts';

/** `@id=17 hello` -> `{ id: 17, rest: 6 }` (where the line starts), or null for an untagged message. */
export function readIdTag(text: string): { readonly id: number; readonly rest: number } | null {
  if (!text.startsWith(ACK_ID_TAG)) return null;
  const space = text.indexOf(' ', ACK_ID_TAG.length);
  const digits = text.slice(ACK_ID_TAG.length, space < 0 ? text.length : space);
  const id = parseId(digits);
  return id === null ? null : { id, rest: space < 0 ? text.length : space + 1 };
}

export type RelayAck =
  | { readonly kind: 'acked'; readonly id: number }
  | { readonly kind: 'refused'; readonly id: number; readonly reason: string };

/** The relay's `@ack=N` or `@nak=N reason`, or null for a line. */
export function readRelayAck(text: string): RelayAck | null {
  if (text.startsWith(ACKED_TAG)) {
    const id = parseId(text.slice(ACKED_TAG.length));
    return id === null ? null : { kind: 'acked', id };
  }
  if (!text.startsWith(REFUSED_TAG)) return null;
  const space = text.indexOf(' ', REFUSED_TAG.length);
  const id = parseId(text.slice(REFUSED_TAG.length, space < 0 ? text.length : space));
  return id === null ? null : { kind: 'refused', id, reason: space < 0 ? '' : text.slice(space + 1) };
}

/** Ids are non-negative integers the client counts up; anything else is not a tag. */
function parseId(digits: string): number | null {
  if (!/^\d{1,10}$/.test(digits)) return null;
  const id = Number(digits);
  return id <= MAX_WEB_ACK_ID ? id : null;
}
