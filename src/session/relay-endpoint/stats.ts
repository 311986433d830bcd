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
  /** Sealed datagrams that did not open (forged, altered, truncated, another session's; also in dropped). */
  authFailed: number;
  /** Sealed datagrams that opened with a packet number already seen or too old (also in dropped). */
  replayed: number;
  /** Datagrams of the wrong size or layout, or well sealed with a broken payload (also in dropped). */
  malformed: number;
  /** HELLOs of another wire version refused with REJECT 1 (also in rejects). */
  versionRejects: number;
  /** HELLOs whose session has ended, while their cookie could still be valid (also in dropped). */
  spentNonces: number;
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
    authFailed: 0,
    replayed: 0,
    malformed: 0,
    versionRejects: 0,
    spentNonces: 0,
    idleClosed: 0,
    retransmissions: 0,
    linesFailed: 0,
  };
}
