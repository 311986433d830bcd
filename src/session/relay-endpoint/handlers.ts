/**
 * The dispatch table: one handler per packet type a client may send. RETRY, ACCEPT, CHALLENGE and REJECT
 * only ever go from the relay to a client, so one arriving here is dropped.
 */
import type { PacketType, Peeked } from '../../protocol/v2/packets.ts';
import { onClose } from './close.ts';
import { onData } from './data.ts';
import { onHello } from './handshake.ts';
import { onResponse } from './path-validation.ts';
import type { PacketHandler } from './state.ts';

const drop: PacketHandler = (state) => {
  state.stats.dropped++;
};

export const PACKET_HANDLERS: Readonly<Record<PacketType, PacketHandler>> = {
  hello: onHello,
  data: onData,
  response: onResponse,
  close: onClose,
  retry: drop,
  accept: drop,
  challenge: drop,
  reject: drop,
};

/** The id `peek` read after the header: a nonce (HELLO, RETRY, ACCEPT), an echo (REJECT) or a session id. */
export function routingId(peeked: Extract<Peeked, { readonly ok: true }>): Uint8Array {
  switch (peeked.type) {
    case 'hello':
    case 'retry':
    case 'accept':
      return peeked.nonce;
    case 'reject':
      return peeked.echo;
    default:
      return peeked.sessionId;
  }
}
