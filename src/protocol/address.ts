/** A UDP peer: the only identity v1 has (the seed keys its client table by this tuple). */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** A stable map key for an address; IPv6 hosts are bracketed so the port separator stays unambiguous. */
export function addressKey(address: Address): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** Port 0 cannot be replied to: sending to it fails, so such a source is never answered. */
export function isReplyable(address: Address): boolean {
  return Number.isInteger(address.port) && address.port > 0 && address.port <= 65535;
}
