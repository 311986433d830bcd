/**
 * reap: ARGV[3] = how long a reaped relay's last answers and inbox are kept. Releases every relay whose
 * heartbeat key expired (its nicks, its members of rooms, with one node-gone event); returns how many.
 * Any live relay runs it on each heartbeat, so a dead relay is reaped within TTL + one heartbeat.
 */
import { COMMON_LUA } from './common.ts';

export const REAP_LUA = `${COMMON_LUA}
local keep_ms = ARGV[3]
local reaped = 0
for _, node in ipairs(redis.call('SMEMBERS', P .. 'nodes')) do
  if not alive(node) then
    release_node(node, keep_ms)
    reaped = reaped + 1
  end
end
return reaped
`;
