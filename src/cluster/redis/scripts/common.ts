/**
 * The Lua every bus script starts with. ARGV[1] is the key prefix and ARGV[2] the shared stream's cap;
 * a script's own arguments follow. Keys are built inside the scripts (a single Redis server, not Redis
 * Cluster: see docs/CLUSTER.md), with the same names as keys.ts.
 *
 * A nick's and a member's value is `<node> <nick>`: node ids hold no space (NODE_ID_PATTERN), so the first
 * space splits them.
 *
 * Each room's moderation state is one field of the `P room-state` hash (room key → JSON), changed by the
 * rules of cluster/room-state-rules.ts (the in-process back end's), which these functions follow in Lua.
 */
import { MAX_KEPT_PER_ROOM, MAX_KEPT_ROOMS } from '../../room-state-rules.ts';
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

local STATES = P .. 'room-state'

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- A room's kept state, and whether it was kept (an empty JSON array reads back as an object: both are tables).
local function load_state(room_key)
  local raw = redis.call('HGET', STATES, room_key)
  if raw then
    local ok, s = pcall(cjson.decode, raw)
    if ok and type(s) == 'table' then
      if type(s.operators) ~= 'table' then s.operators = {} end
      if type(s.bans) ~= 'table' then s.bans = {} end
      if type(s.invited) ~= 'table' then s.invited = {} end
      if type(s.topic) ~= 'string' then s.topic = '' end
      s.inviteOnly = s.inviteOnly == true
      return s, true
    end
  end
  return { topic = '', inviteOnly = false, operators = {}, bans = {}, invited = {} }, raw ~= false
end

-- A plain state is not kept; a new room's is kept only below the bound.
local function save_state(room_key, s, known)
  if s.topic == '' and not s.inviteOnly and next(s.operators) == nil and #s.bans == 0 and next(s.invited) == nil then
    if known then redis.call('HDEL', STATES, room_key) end
    return
  end
  if not known and redis.call('HLEN', STATES) >= ${MAX_KEPT_ROOMS} then return end
  redis.call('HSET', STATES, room_key, cjson.encode(s))
end

local function ban_of(mask)
  local ok, ban = pcall(cjson.decode, mask)
  if not ok or type(ban) ~= 'table' or type(ban.nickKey) ~= 'string' then return nil end
  return ban
end

local function change_bans(s, mask, on)
  local ban = ban_of(mask)
  if not ban then return end
  if not on then
    local kept = {}
    for _, other in ipairs(s.bans) do
      local fields = ban_of(other)
      if not fields or fields.nickKey ~= ban.nickKey then kept[#kept + 1] = other end
    end
    s.bans = kept
    return
  end
  -- A request (no account, no host): the banned client's relay answers it with the real ban.
  if ban.account == cjson.null and ban.host == cjson.null then return end
  if #s.bans >= ${MAX_KEPT_PER_ROOM} then return end
  s.invited[ban.nickKey] = nil
  for _, other in ipairs(s.bans) do
    local fields = ban_of(other)
    if fields and fields.nickKey == ban.nickKey and fields.account == ban.account and fields.host == ban.host then return end
  end
  s.bans[#s.bans + 1] = mask
end

-- One room event's change to the room's kept state, in the step that appends the event.
local function room_state(room_key, change)
  local s, known = load_state(room_key)
  local kind = change.type
  if kind == 'topic' and type(change.topic) == 'string' then s.topic = change.topic
  elseif kind == 'invite-only' then s.inviteOnly = change.on == true
  elseif kind == 'operator' and type(change.nickKey) == 'string' then
    if change.on ~= true then s.operators[change.nickKey] = nil
    elseif count(s.operators) < ${MAX_KEPT_PER_ROOM} then s.operators[change.nickKey] = change.nick end
  elseif kind == 'kick' and type(change.nickKey) == 'string' then s.operators[change.nickKey] = nil
  elseif kind == 'invite' and type(change.nickKey) == 'string' then
    if count(s.invited) < ${MAX_KEPT_PER_ROOM} then s.invited[change.nickKey] = true end
  elseif kind == 'ban' and type(change.mask) == 'string' then change_bans(s, change.mask, change.on == true)
  end
  save_state(room_key, s, known)
end

-- A member left the room: its operator status goes with it.
local function drop_operator(room_key, nick_key)
  local s, known = load_state(room_key)
  if not known or s.operators[nick_key] == nil then return end
  s.operators[nick_key] = nil
  save_state(room_key, s, known)
end

-- The room's first member is its only operator.
local function first_operator(room_key, nick_key, nick)
  local s, known = load_state(room_key)
  s.operators = {}
  s.operators[nick_key] = nick
  save_state(room_key, s, known)
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
      drop_operator(room_key, nick_key)
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
