import { lit, type LuaAlgorithm } from './lua-algorithm.js';

/**
 * Mirrors algorithms/sliding-log.ts with a Redis list of admission times (packed doubles), oldest first, capped
 * at the limit. Entries that left the window are popped from the head on each decision (amortised O(1)).
 */
export const slidingLogLua: LuaAlgorithm = {
  state: [],
  load: (p) => `
local cutoff$ = now - ${lit(p.windowMs)}
local oldest$
while true do
  local head = redis.call('LINDEX', KEY, 0)
  if not head then break end
  oldest$ = struct.unpack('<d', head)
  if oldest$ > cutoff$ then break end
  redis.call('LPOP', KEY)
end
local size$ = redis.call('LLEN', KEY)`,
  evaluate: (p) => `
ok$ = size$ + cost <= ${lit(p.limit)}
delay$ = 0
if ok$ then
  rem$ = ${lit(p.limit)} - size$ - cost
  reset$ = wait_ms(${lit(p.windowMs)})
  retry$ = 0
else
  rem$ = math.max(0, ${lit(p.limit)} - size$)
  reset$ = 0
  if size$ > 0 then reset$ = wait_ms(struct.unpack('<d', redis.call('LINDEX', KEY, -1)) + ${lit(p.windowMs)} - now) end
  retry$ = INF
  if cost <= ${lit(p.limit)} then
    -- The oldest (size + cost - limit) entries must leave first; for one unit that is the head, already read.
    local k$ = size$ + cost - ${lit(p.limit)} - 1
    local leaving$ = oldest$
    if k$ > 0 then leaving$ = struct.unpack('<d', redis.call('LINDEX', KEY, k$)) end
    retry$ = wait_ms(leaving$ + ${lit(p.windowMs)} - now)
  end
end`,
  record: (p) => `
local stamp$ = struct.pack('<d', now)
for _ = 1, cost do redis.call('RPUSH', KEY, stamp$) end
if size$ + cost > ${lit(p.limit)} then redis.call('LTRIM', KEY, ${lit(-p.limit)}, -1) end`,
  idleAt: () => 'now',
  save: (p) => `
redis.call('PEXPIRE', KEY, ${lit(Math.ceil(p.windowMs))} + TTL_SLACK)`,
};
