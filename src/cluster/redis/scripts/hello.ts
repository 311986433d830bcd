/**
 * hello: ARGV[3..] = node, instance, version, ttl ms, started at, an epoch candidate.
 * Returns {'ok', epoch, event number, last inbox id, {room key, state JSON, ...}} (every room's kept state
 * as of that event number, read in the same atomic step) or {'version-mismatch', cluster version} or
 * {'node-id-in-use'}. The epoch names this Redis's data: a relay that finds another epoch after a
 * reconnect knows the server lost its state (restarted without persistence).
 */
import { COMMON_LUA } from './common.ts';

export const HELLO_LUA = `${COMMON_LUA}
local node, instance, version, ttl, started, candidate = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local keep_ms = ARGV[9]
local cluster_version = redis.call('GET', P .. 'version')
if not cluster_version then
  redis.call('SET', P .. 'version', version)
  cluster_version = version
end
if cluster_version ~= version then return { 'version-mismatch', cluster_version } end
local epoch = redis.call('GET', P .. 'epoch')
if not epoch then
  redis.call('SET', P .. 'epoch', candidate)
  epoch = candidate
end
local holder = redis.call('GET', P .. 'alive:' .. node)
if holder and holder ~= instance then return { 'node-id-in-use' } end
local known = redis.call('HGET', P .. 'node:' .. node, 'instance')
if known and known ~= instance then release_node(node, keep_ms) end
local last = P .. 'last:' .. node
if redis.call('HGET', last, 'instance') ~= instance then
  redis.call('DEL', last, P .. 'inbox:' .. node)
  redis.call('HSET', last, 'instance', instance)
end
redis.call('PERSIST', last)
redis.call('PERSIST', P .. 'inbox:' .. node)
redis.call('SET', P .. 'alive:' .. node, instance, 'PX', ttl)
redis.call('HSET', P .. 'node:' .. node, 'instance', instance, 'version', version, 'startedAt', started)
redis.call('SADD', P .. 'nodes', node)
local n = tonumber(redis.call('GET', P .. 'events:n') or '0')
local states = redis.call('HGETALL', STATES)
local newest = redis.call('XREVRANGE', P .. 'inbox:' .. node, '+', '-', 'COUNT', 1)
local inbox = '0-0'
if newest[1] then inbox = newest[1][1] end
event({ type = 'node-up', node = node, version = tonumber(version) })
return { 'ok', epoch, tostring(n), inbox, states }
`;
