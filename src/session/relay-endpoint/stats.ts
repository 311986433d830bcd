/** What the v2 relay endpoint counts, for /metrics and the bench. */

export interface V2RelayStats {
  retries: number;
  accepts: number;
  rejects: number;
  migrations: number;
  challenges: number;
  dropped: number;
  /** Client DATA dropped for carrying more LINE frames than one v1 datagram may (also counted in dropped). */
  tooManyLines: number;
  /** Sessions closed for silence (CLOSE 1). */
  idleClosed: number;
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
    tooManyLines: 0,
    idleClosed: 0,
    retransmissions: 0,
    linesFailed: 0,
  };
}
