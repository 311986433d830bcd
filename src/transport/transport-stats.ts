/** What every transport counts, for `--trace`-free diagnostics, /metrics and the status bar. */
export interface TransportStats {
  datagramsIn: number;
  bytesIn: number;
  datagramsOut: number;
  bytesOut: number;
  /** Sends that failed or were refused (port 0, closed, a full buffer); the seed's "sendto can fail". */
  sendErrors: number;
}

/** Every counter at zero: a new transport's stats. */
export function noTransportStats(): TransportStats {
  return { datagramsIn: 0, bytesIn: 0, datagramsOut: 0, bytesOut: 0, sendErrors: 0 };
}
