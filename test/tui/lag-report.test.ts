/** `/lag` over v2: the channel's measurements in one line. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChannelStats } from '../../src/session/reliable/channel.ts';
import { pathReport } from '../../src/tui/screen/lag-report.ts';

const QUIET: ChannelStats = {
  linesSent: 0,
  retransmissions: 0,
  fastRetransmissions: 0,
  gaveUp: 0,
  linesAcked: 0,
  linesDelivered: 0,
  linesLost: 0,
  duplicatesDropped: 0,
  beyondWindowDropped: 0,
  dataSent: 0,
  ackOnlySent: 0,
  skipsSent: 0,
  pingsSent: 0,
};

test('RTT, jitter, loss as the share of re-sends, retransmissions and the relay lines lost', () => {
  const channel = { ...QUIET, linesSent: 18, retransmissions: 2, gaveUp: 1, linesLost: 3 };
  assert.equal(
    pathReport({ srttMs: 0.42, rttvarMs: 0.11, rtoMs: 100, channel }),
    'v2: rtt 0.4 ms, jitter 0.1 ms, loss 10.0% (2 retransmissions for 18 lines sent, 1 given up; ' +
      '3 lines from the relay lost), rto 100 ms',
  );
});

test('before any sample or send', () => {
  assert.equal(
    pathReport({ srttMs: null, rttvarMs: null, rtoMs: 500, channel: QUIET }),
    'v2: rtt no sample yet, jitter -, loss 0.0% (0 retransmissions for 0 lines sent, 0 given up; ' +
      '0 lines from the relay lost), rto 500 ms',
  );
});
