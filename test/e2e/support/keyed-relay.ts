/**
 * A relay process for the failover tests: the real RelayServer on 127.0.0.1 (a port the kernel chooses)
 * with a resumption key, which `udpchat relay` takes only from a cluster's shared key (`--cluster`). The
 * key comes in the environment (UDPCHAT_TEST_RESUMPTION_KEY, hex); the process prints
 * `relay listening on udp/<port>` and serves until it is stopped or killed.
 */
import { RelayServer } from '../../../src/relay-host/relay-server.ts';

const keyHex = process.env.UDPCHAT_TEST_RESUMPTION_KEY ?? '';
if (!/^([0-9a-f]{2}){16,}$/.test(keyHex)) {
  process.stderr.write('UDPCHAT_TEST_RESUMPTION_KEY must be at least 16 bytes in hex\n');
  process.exit(2);
}
const server = await RelayServer.start({
  host: '127.0.0.1',
  port: 0,
  // Each relay numbers its own lines: without a cluster, history ids mean nothing on the other.
  relay: { resumptionKey: new Uint8Array(Buffer.from(keyHex, 'hex')), historyOnJoinV2: 0 },
});
process.stdout.write(`relay listening on udp/${server.address.port}\n`);
process.on('SIGTERM', () => {
  void server.stop().then(() => process.exit(0));
});
