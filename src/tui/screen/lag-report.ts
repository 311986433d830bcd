/**
 * `/lag` over protocol v2: what the session's reliable channel measured, in one line. RTT is the smoothed
 * round trip and jitter its mean deviation (RFC 6298's SRTT and RTTVAR, the numbers the retransmission
 * timer is built from); loss is estimated from our own sends, as the share of transmissions that were
 * re-sends (a lost line or a lost ack both cost one); the relay's lines lost to us are its give-ups.
 */
import type { V2PathStats } from '../../session/client-connection.ts';
import { formatRtt } from './status-bar.ts';

export function pathReport(stats: V2PathStats): string {
  const { channel } = stats;
  const sends = channel.linesSent + channel.retransmissions;
  const loss = sends === 0 ? 0 : (100 * channel.retransmissions) / sends;
  const rtt = stats.srttMs === null ? 'no sample yet' : formatRtt(stats.srttMs);
  const jitter = stats.rttvarMs === null ? '-' : formatRtt(stats.rttvarMs);
  return [
    `v2: rtt ${rtt}, jitter ${jitter}, loss ${loss.toFixed(1)}%`,
    `(${plural(channel.retransmissions, 'retransmission')} for ${plural(channel.linesSent, 'line')} sent,`,
    `${channel.gaveUp} given up; ${plural(channel.linesLost, 'line')} from the relay lost), rto ${formatRtt(stats.rtoMs)}`,
  ].join(' ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
