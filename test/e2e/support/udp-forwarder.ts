/**
 * An on-path observer for end-to-end tests: a UDP forwarder on 127.0.0.1 that clients use as their relay. It
 * passes datagrams both ways, records every one (so a test reads the session id, the ACCEPT's timers, the
 * relay's CLOSE), can stop passing either direction, and can send a datagram to the client from the address
 * the client takes for the relay's: the forgery an on-path attacker can make.
 */
import dgram from 'node:dgram';
import { Collector } from './collector.ts';

export interface Forwarded {
  readonly toClient: boolean;
  readonly bytes: Uint8Array;
}

export class UdpForwarder {
  readonly seen = new Collector<Forwarded>('forwarder');
  /** Set false to drop that direction (a path gone dead). */
  passToRelay = true;
  passToClient = true;
  private client: { address: string; port: number } | null = null;

  private constructor(
    private readonly front: dgram.Socket,
    private readonly back: dgram.Socket,
    private readonly relayPort: number,
  ) {
    front.on('message', (msg, from) => {
      this.client = { address: from.address, port: from.port };
      this.seen.push({ toClient: false, bytes: new Uint8Array(msg) });
      if (this.passToRelay) back.send(msg, this.relayPort, '127.0.0.1');
    });
    back.on('message', (msg) => {
      this.seen.push({ toClient: true, bytes: new Uint8Array(msg) });
      if (this.passToClient && this.client !== null) front.send(msg, this.client.port, this.client.address);
    });
  }

  static async start(relayPort: number): Promise<UdpForwarder> {
    const bind = async (): Promise<dgram.Socket> => {
      const socket = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      return socket;
    };
    return new UdpForwarder(await bind(), await bind(), relayPort);
  }

  /** The port clients are pointed at. */
  get port(): number {
    return this.front.address().port;
  }

  /** The client's current address, as the forwarder last heard it. */
  get clientPort(): number {
    if (this.client === null) throw new Error('no client yet');
    return this.client.port;
  }

  /** A datagram to the client from the relay's address as the client sees it. */
  forgeToClient(bytes: Uint8Array): void {
    if (this.client === null) throw new Error('no client yet');
    this.front.send(bytes, this.client.port, this.client.address);
  }

  close(): void {
    this.seen.end('closed');
    this.front.close();
    this.back.close();
  }
}
