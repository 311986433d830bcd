/** What the v2 relay endpoint counts, for /metrics and the bench. */

export interface V2RelayStats {
  retries: number;
  accepts: number;
  rejects: number;
  migrations: number;
  challenges: number;
  dropped: number;
  retransmissions: number;
  linesFailed: number;
}

/** Every counter at zero: a new endpoint's stats. */
export function noV2RelayStats(): V2RelayStats {
  return {
    retries: 0,
    accepts: 0,
    rejects: 0,
    migrations: 0,
    challenges: 0,
    dropped: 0,
    retransmissions: 0,
    linesFailed: 0,
  };
}
