/**
 * Socket addresses in the addon's packed form (sockaddr_in / sockaddr_in6, `addressSize` bytes), written
 * straight into a batch. The host part is packed once per host string and kept; the port is written each
 * time. Nothing is kept per client: a copy per client cost about 0.4 kB each (a Buffer and its backing
 * store), 40 MB at 100,000 clients.
 */
import { isIP } from 'node:net';
import type { Address } from '../protocol/address.ts';
import type { NativeSendAddon } from './native-send.ts';

/** Host templates kept at most; beyond, the cache starts over (many distinct hosts cost a re-pack each). */
const MAX_HOSTS = 4_096;
/** sin_port and sin6_port are both at this offset, in network byte order. */
const PORT_OFFSET = 2;

export class AddressPacker {
  private readonly hosts = new Map<string, Buffer | null>();

  /** `family`: 4 or 6, the socket's; an address of the other family cannot be packed for it. */
  constructor(
    private readonly addon: NativeSendAddon,
    private readonly family: number,
  ) {}

  get size(): number {
    return this.addon.addressSize;
  }

  /**
   * Writes `address` packed at `target[offset ...]` (`size` bytes); false when it has no packed form here
   * (another family, a scoped IPv6 address, not a literal): node:dgram must send it.
   */
  packInto(target: Uint8Array, offset: number, address: Address): boolean {
    const template = this.template(address.host);
    if (template === null) return false;
    target.set(template, offset);
    target[offset + PORT_OFFSET] = (address.port >>> 8) & 0xff;
    target[offset + PORT_OFFSET + 1] = address.port & 0xff;
    return true;
  }

  private template(host: string): Buffer | null {
    let template = this.hosts.get(host);
    if (template === undefined) {
      if (this.hosts.size >= MAX_HOSTS) this.hosts.clear();
      template = isIP(host) === this.family ? this.addon.packAddress(host, 1) : null;
      this.hosts.set(host, template);
    }
    return template;
  }
}
