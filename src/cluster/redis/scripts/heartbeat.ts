/** heartbeat: ARGV[3..] = node, instance, ttl ms. 1 when renewed; 0 when our TTL had lapsed. */
import { COMMON_LUA } from './common.ts';

export const HEARTBEAT_LUA = `${COMMON_LUA}
local node, instance, ttl = ARGV[3], ARGV[4], ARGV[5]
if redis.call('GET', P .. 'alive:' .. node) ~= instance then return 0 end
redis.call('PEXPIRE', P .. 'alive:' .. node, ttl)
return 1
`;
