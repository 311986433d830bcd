/**
 * A relay's bus in its own process, for the kill -9 tests: joins the cluster at argv[2] as node argv[3]
 * with a TTL of argv[4] ms, claims the nick argv[5], joins room argv[6], publishes one line, prints
 * `ready` and then lives until it is killed.
 */
import { redisClusterBus } from '../../../src/cluster/redis/redis-bus.ts';

const [url = '', nodeId = '', ttl = '600', nick = '', room = ''] = process.argv.slice(2);
const bus = redisClusterBus(url, { nodeId, ttlMs: Number(ttl), readBlockMs: 200, maxRetryMs: 200 });
await bus.start({
  event() {},
  status() {},
  fatal: (failure) => process.stderr.write(`${failure.message}\n`),
});
const claim = await bus.claimNick(nick, nick);
if (!claim.ok) throw new Error(`claim refused: ${JSON.stringify(claim)}`);
await bus.joinRoom(room, { nickKey: nick, nick }, 'join');
await bus.publishLine({
  roomKey: room,
  roomName: room,
  at: Date.now(),
  kind: 'say',
  nick,
  text: 'from the child',
});
process.stdout.write('ready\n');
setInterval(() => {}, 1_000);
