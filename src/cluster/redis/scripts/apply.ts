/**
 * apply: ARGV[3..] = node, instance, first number, room stream cap, inbox cap, then one JSON op each.
 * Applies the whole batch in one atomic step and returns its answers as a JSON array. A batch whose
 * first number and instance match the last one applied is a retry (its answer was lost with the
 * connection): the stored answers come back and nothing is applied twice. A relay whose TTL lapsed gets
 * `expired` and nothing is applied.
 *
 * The room's line id comes from INCR on the room's counter inside this step, so every relay's lines in a
 * room share one order (Centrifugo's approach); the line goes to the room's capped stream (id <id>-0, so
 * history reads by line id) and to the shared event stream.
 *
 * A room event changes the room's kept state (`P room-state`) in the same step, and a member that leaves
 * takes its operator status with it, so the state a relay reads at start is the one the events built.
 * A join that asks (`firstOperator`) into a room with no member on any relay makes the member the
 * room's operator here, once, and announces it as an `operator` room event by the member itself.
 */
import { COMMON_LUA } from './common.ts';

export const APPLY_LUA = `${COMMON_LUA}
local node, instance, first, room_cap, inbox_cap = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local last = P .. 'last:' .. node
local seen = redis.call('HMGET', last, 'instance', 'first', 'results')
if seen[1] == instance and seen[2] == first and seen[3] then return seen[3] end
-- A relay presumed dead applies nothing (what it added could never be reaped): it must say hello again.
if redis.call('GET', P .. 'alive:' .. node) ~= instance then return 'expired' end

local function members_key(room_key) return P .. 'room:' .. room_key .. ':members' end

local function line(op)
  local l = op.line
  local id = redis.call('INCR', P .. 'room:' .. l.roomKey .. ':seq')
  l.id = id
  redis.call('XADD', P .. 'room:' .. l.roomKey .. ':lines', 'MAXLEN', '~', room_cap, id .. '-0', 'l', cjson.encode(l))
  event({ type = 'line', node = node, line = l })
  return id
end

local function direct(op)
  local value = redis.call('HGET', P .. 'nick', op.line.toKey)
  if not value then return '' end
  local target = owner_of(value)
  if not alive(target) then return '' end
  local body = cjson.encode({ type = 'direct', node = node, line = op.line })
  redis.call('XADD', P .. 'inbox:' .. target, 'MAXLEN', '~', inbox_cap, '*', 'e', body)
  return target
end

-- A takeover (a proven resumption) wins even against a live holder, who hears nick-taken.
local function claim(op)
  local value = redis.call('HGET', P .. 'nick', op.nickKey)
  if value then
    local holder = owner_of(value)
    if holder ~= node then
      local live = alive(holder)
      if live and not op.takeover then return holder end
      redis.call('SREM', P .. 'nicks:' .. holder, op.nickKey)
      if live then
        event({ type = 'nick-taken', node = node, nickKey = op.nickKey, nick = op.nick, from = holder })
      end
    end
  end
  redis.call('HSET', P .. 'nick', op.nickKey, node .. ' ' .. op.nick)
  redis.call('SADD', P .. 'nicks:' .. node, op.nickKey)
  return ''
end

-- A released nick leaves every room it was in (as a quit): a member always holds its nick.
local function release(op)
  local value = redis.call('HGET', P .. 'nick', op.nickKey)
  if not value or owner_of(value) ~= node then return 0 end
  redis.call('HDEL', P .. 'nick', op.nickKey)
  redis.call('SREM', P .. 'nicks:' .. node, op.nickKey)
  local suffix = ' ' .. op.nickKey
  for _, entry in ipairs(redis.call('SMEMBERS', P .. 'presence:' .. node)) do
    if string.sub(entry, -#suffix) == suffix then
      local room_key = string.sub(entry, 1, #entry - #suffix)
      redis.call('SREM', P .. 'presence:' .. node, entry)
      local before = redis.call('HGET', members_key(room_key), op.nickKey)
      if before and owner_of(before) == node then
        redis.call('HDEL', members_key(room_key), op.nickKey)
        drop_operator(room_key, op.nickKey)
        local member = { nickKey = op.nickKey, nick = nick_of(before), node = node }
        event({ type = 'presence', node = node, roomKey = room_key, member = member, joined = false, reason = 'quit' })
      end
    end
  end
  return 0
end

local function join(op)
  local value = redis.call('HGET', P .. 'nick', op.nickKey)
  if not value or owner_of(value) ~= node then return 'not-claimed' end
  local before = redis.call('HGET', members_key(op.roomKey), op.nickKey)
  local is_first = op.firstOperator == true and redis.call('HLEN', members_key(op.roomKey)) == 0
  redis.call('HSET', members_key(op.roomKey), op.nickKey, node .. ' ' .. op.nick)
  redis.call('SADD', P .. 'presence:' .. node, op.roomKey .. ' ' .. op.nickKey)
  if not before or owner_of(before) ~= node then
    local member = { nickKey = op.nickKey, nick = op.nick, node = node }
    event({ type = 'presence', node = node, roomKey = op.roomKey, member = member, joined = true, reason = op.reason })
  end
  if is_first then
    first_operator(op.roomKey, op.nickKey, op.nick)
    local change = { type = 'operator', nickKey = op.nickKey, nick = op.nick, on = true }
    event({ type = 'room', node = node, roomKey = op.roomKey, by = op.nick, change = change })
  end
  return 0
end

local function leave(op)
  local before = redis.call('HGET', members_key(op.roomKey), op.nickKey)
  if not before or owner_of(before) ~= node then return 0 end
  redis.call('HDEL', members_key(op.roomKey), op.nickKey)
  redis.call('SREM', P .. 'presence:' .. node, op.roomKey .. ' ' .. op.nickKey)
  drop_operator(op.roomKey, op.nickKey)
  local member = { nickKey = op.nickKey, nick = nick_of(before), node = node }
  event({ type = 'presence', node = node, roomKey = op.roomKey, member = member, joined = false, reason = op.reason })
  return 0
end

local function room(op)
  -- A kill or a rename is not room state (the leaves and joins that follow change what the member held).
  local told = type(op.change) == 'table' and (op.change.type == 'kill' or op.change.type == 'rename')
  if type(op.change) == 'table' and not told then room_state(op.roomKey, op.change) end
  event({ type = 'room', node = node, roomKey = op.roomKey, by = op.by, change = op.change })
  return 0
end

local handlers = { line = line, direct = direct, claim = claim, release = release, join = join, leave = leave, room = room }
local results = {}
for i = 8, #ARGV do
  local op = cjson.decode(ARGV[i])
  local handler = handlers[op.type]
  if handler then results[#results + 1] = handler(op) else results[#results + 1] = 'unknown-op' end
end
local encoded = cjson.encode(results)
redis.call('HSET', last, 'instance', instance, 'first', first, 'results', encoded)
return encoded
`;
