/**
 * The Lua every bus script starts with. ARGV[1] is the key prefix and ARGV[2] the shared stream's cap;
 * a script's own arguments follow. Keys are built inside the scripts (a single Redis server, not Redis
 * Cluster: see docs/CLUSTER.md), with the same names as keys.ts.
 *
 * A nick's and a member's value is `<node> <nick>`: node ids hold no space (NODE_ID_PATTERN), so the first
 * space splits them.
 */
export const COMMON_LUA = `
local P = ARGV[1]
local EVENT_CAP = ARGV[2]

local function owner_of(value)
  local space = string.find(value, ' ', 1, true)
  return string.sub(value, 1, space - 1)
end

local function nick_of(value)
  local space = string.find(value, ' ', 1, true)
  return string.sub(value, space + 1)
end

local function alive(node)
  return redis.call('EXISTS', P .. 'alive:' .. node) == 1
end

-- Every event is numbered; its stream id is <number>-0, so a gap in the numbers is a gap in the stream.
local function event(body)
  local n = redis.call('INCR', P .. 'events:n')
  redis.call('XADD', P .. 'events', 'MAXLEN', '~', EVENT_CAP, n .. '-0', 'e', cjson.encode(body))
  return n
end

local function release_node(node, keep_ms)
  local nicks = {}
  for _, key in ipairs(redis.call('SMEMBERS', P .. 'nicks:' .. node)) do
    local value = redis.call('HGET', P .. 'nick', key)
    if value and owner_of(value) == node then
      redis.call('HDEL', P .. 'nick', key)
      nicks[#nicks + 1] = key
    end
  end
  local left = {}
  for _, entry in ipairs(redis.call('SMEMBERS', P .. 'presence:' .. node)) do
    local space = string.find(entry, ' ', 1, true)
    local room_key = string.sub(entry, 1, space - 1)
    local nick_key = string.sub(entry, space + 1)
    local members = P .. 'room:' .. room_key .. ':members'
    local value = redis.call('HGET', members, nick_key)
    if value and owner_of(value) == node then
      redis.call('HDEL', members, nick_key)
      left[#left + 1] = { roomKey = room_key, member = { nickKey = nick_key, nick = nick_of(value), node = node } }
    end
  end
  redis.call('DEL', P .. 'node:' .. node, P .. 'nicks:' .. node, P .. 'presence:' .. node, P .. 'alive:' .. node)
  redis.call('SREM', P .. 'nodes', node)
  redis.call('PEXPIRE', P .. 'last:' .. node, keep_ms)
  redis.call('PEXPIRE', P .. 'inbox:' .. node, keep_ms)
  event({ type = 'node-gone', node = node, nicks = nicks, left = left })
end
`;
