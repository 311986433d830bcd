/**
 * Which relay events are logged, at which level and with which fields. Every record is built from a
 * whitelist of fields (nick, address, reason, recipients): a message body or a secret cannot reach the
 * log because no event carries one and nothing here copies an event wholesale.
 *   info   joins and departures
 *   debug  refusals (with the reason, never the refused text)
 *   trace  ignored datagrams and relayed lines (who and how many recipients, never what)
 * The level is fixed at start, so the decisions are taken once and a disabled level costs one branch.
 */
import { addressKey } from '../protocol/address.ts';
import type { RelayEvent } from '../relay/output.ts';
import type { Logger } from './logger.ts';

export type EventLog = (event: RelayEvent) => void;

export function eventLogger(logger: Logger): EventLog {
  const debug = logger.isLevelEnabled('debug');
  const trace = logger.isLevelEnabled('trace');
  return (event) => {
    switch (event.type) {
      case 'joined':
        logger.info(
          { event: 'joined', nick: event.nick, address: addressKey(event.address) },
          `${event.nick} joined`,
        );
        return;
      case 'departed':
        logger.info(
          { event: 'departed', nick: event.nick, address: addressKey(event.address), reason: event.reason },
          `${event.nick} ${event.reason === 'killed' ? 'was killed' : event.reason}`,
        );
        return;
      case 'refused':
        if (debug)
          logger.debug(
            { event: 'refused', address: addressKey(event.address), reason: event.reason },
            'refused',
          );
        return;
      case 'ignored':
        if (trace)
          logger.trace(
            { event: 'ignored', address: addressKey(event.address), reason: event.reason },
            'ignored',
          );
        return;
      case 'relayed':
        if (trace)
          logger.trace(
            {
              event: 'relayed',
              nick: event.nick,
              address: addressKey(event.address),
              recipients: event.recipients,
            },
            'relayed',
          );
        return;
    }
  };
}
