/**
 * A relay process for the failover tests: the real RelayServer on 127.0.0.1 with a resumption key, which
 * `udpchat relay` takes only from a cluster's shared key (`--cluster`). The key comes in the environment
 * (UDPCHAT_TEST_RESUMPTION_KEY, hex); so may the relay's identity (UDPCHAT_TEST_IDENTITY_SEED, the
 * 32-byte Ed25519 seed in hex: each relay of a cluster has its own, as with `udpchat relay --identity`;
 * absent, a throwaway one) and its port (UDPCHAT_TEST_PORT, to restart a relay where it was; default a
 * port the kernel chooses). The process prints `relay listening on udp/<port>` and
 * `relay identity SHA256:...`, and serves until it is stopped or killed.
 */

import { fingerprint } from '../../../src/protocol/v2/fingerprint.ts';
import { RelayIdentity } from '../../../src/protocol/v2/relay-identity.ts';
import { RelayServer } from '../../../src/relay-host/relay-server.ts';
import { systemRandom } from '../../../src/transport/system-random.ts';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const keyHex = process.env.UDPCHAT_TEST_RESUMPTION_KEY ?? '';
if (!/^([0-9a-f]{2}){16,}$/.test(keyHex))
  fail('UDPCHAT_TEST_RESUMPTION_KEY must be at least 16 bytes in hex');
const seedHex = process.env.UDPCHAT_TEST_IDENTITY_SEED;
if (seedHex !== undefined && !/^[0-9a-f]{64}$/.test(seedHex))
  fail('UDPCHAT_TEST_IDENTITY_SEED must be 32 bytes in hex');
const port = Number(process.env.UDPCHAT_TEST_PORT ?? '0');
if (!Number.isInteger(port) || port < 0 || port > 65535) fail('UDPCHAT_TEST_PORT must be a port');
const identity =
  seedHex === undefined
    ? RelayIdentity.generate(systemRandom)
    : RelayIdentity.fromSeed(new Uint8Array(Buffer.from(seedHex, 'hex')));
const server = await RelayServer.start({
  host: '127.0.0.1',
  port,
  identity,
  // Each relay numbers its own lines: without a cluster, history ids mean nothing on the other.
  relay: { resumptionKey: new Uint8Array(Buffer.from(keyHex, 'hex')), historyOnJoinV2: 0 },
});
process.stdout.write(`relay listening on udp/${server.address.port}\n`);
process.stdout.write(`relay identity ${fingerprint(identity.publicKey)}\n`);
process.on('SIGTERM', () => {
  void server.stop().then(() => process.exit(0));
});
