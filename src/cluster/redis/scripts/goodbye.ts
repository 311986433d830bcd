/** goodbye: ARGV[3..] = node, instance. A clean stop: releases the relay at once, forgets its answers. */
import { COMMON_LUA } from './common.ts';

export const GOODBYE_LUA = `${COMMON_LUA}
local node, instance = ARGV[3], ARGV[4]
if redis.call('HGET', P .. 'node:' .. node, 'instance') ~= instance then return 0 end
release_node(node, 1)
redis.call('DEL', P .. 'last:' .. node, P .. 'inbox:' .. node)
return 1
`;
