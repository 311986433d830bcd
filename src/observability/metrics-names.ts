/**
 * Every metric the relay exposes at `/metrics`, in one place: the relay's registry and `udpchat top` both
 * read these names, so a rename cannot silently blank a column of the live view.
 */
export const METRIC = {
  datagramsIn: 'udpchat_datagrams_received_total',
  datagramsOut: 'udpchat_datagrams_sent_total',
  bytesIn: 'udpchat_bytes_received_total',
  bytesOut: 'udpchat_bytes_sent_total',
  sendErrors: 'udpchat_send_errors_total',
  linesRelayed: 'udpchat_lines_relayed_total',
  deliveries: 'udpchat_deliveries_total',
  joins: 'udpchat_joins_total',
  departures: 'udpchat_departures_total',
  evictions: 'udpchat_evictions_total',
  refusals: 'udpchat_refusals_total',
  ignored: 'udpchat_ignored_total',
  throttled: 'udpchat_throttled_lines_total',
  clients: 'udpchat_clients',
  rooms: 'udpchat_rooms',
  eventLoopLag: 'udpchat_event_loop_lag_seconds',
  topTalkers: 'udpchat_top_talker_lines_per_second',
  startTime: 'udpchat_start_time_seconds',
  v2Sessions: 'udpchat_v2_sessions',
  v2Retransmissions: 'udpchat_v2_retransmissions_total',
  v2LinesFailed: 'udpchat_v2_lines_failed_total',
  v2Migrations: 'udpchat_v2_migrations_total',
  v2Handshakes: 'udpchat_v2_handshakes_total',
  v2Dropped: 'udpchat_v2_dropped_total',
  strictDrops: 'udpchat_strict_drops_total',
} as const;
