/** A real `udpchat relay` for end-to-end tests: on 127.0.0.1, a port the kernel chooses, stopped after the test. */
import type { TestContext } from 'node:test';
import { CliProcess } from './cli-process.ts';
import { UdpPeer } from './udp-peer.ts';

export interface RunningRelay {
  readonly process: CliProcess;
  readonly port: number;
}

export async function startRelay(
  t: TestContext,
  extra: readonly string[] = [],
  nodeArgs: readonly string[] = [],
): Promise<RunningRelay> {
  const relay = CliProcess.cli(['relay', '--host', '127.0.0.1', '--port', '0', ...extra], {
    name: 'relay',
    nodeArgs,
  });
  t.after(() => relay.stop());
  const line = await relay.waitForLine(/^relay listening on udp\/\d+$/);
  return { process: relay, port: Number(line.split('/')[1]) };
}

/** A raw peer speaking the seed's lines; with a nick, it has joined (and was welcomed) when this resolves. */
export async function seedPeer(
  t: TestContext,
  relay: RunningRelay,
  nick?: string,
  host?: string,
): Promise<UdpPeer> {
  const peer = await UdpPeer.connect(relay.port, host);
  t.after(() => peer.close());
  if (nick !== undefined) {
    peer.send(`/join ${nick}\n`);
    await peer.expect(`*** welcome, ${nick} ***\n`);
  }
  return peer;
}
