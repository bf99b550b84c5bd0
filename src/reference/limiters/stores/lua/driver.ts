/**
 * The Lua shared by every limiter script: time, arguments, the per-key state helpers, and the multi-policy
 * driver. Each algorithm's Lua (a sibling file) defines ALG.size/evaluate/record/idle_at (and may replace
 * ALG.load/ALG.save), mirroring the TypeScript in algorithms/ operation for operation so that both stores
 * decide identically (the table-driven test runs the same cases against both).
 *
 * ARGV: [1] pinned time in ms ('' = Redis TIME), [2] offset added to TIME (ms), [3] cost, [4] count refused
 * ('1'/'0'), then per policy: limit, window, capacity, queue, interval, rate. KEYS: one per policy.
 */
export const PRELUDE = `
local EPSILON = 1e-9
local INF = math.huge
local function wait_ms(x) if x <= 0 then return 0 end return math.ceil(x - EPSILON) end
local function fmt(x)
  if x == INF then return 'inf' end
  if x == -INF then return '-inf' end
  return string.format('%.17g', x)
end
local now
-- TTLs run on Redis's real clock. With a pinned time (tests, replays) real time and pinned time drift apart, so
-- keys live a minute longer than their state matters: state past its idle time reads as fresh anyway.
local TTL_SLACK = 0
if ARGV[1] ~= '' then
  now = tonumber(ARGV[1])
  TTL_SLACK = 60000
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 + tonumber(ARGV[2])
end
local cost = tonumber(ARGV[3])
local count_refused = ARGV[4] == '1'
local P = {}
for i = 1, #KEYS do
  local a = 4 + (i - 1) * 6
  P[i] = { limit = tonumber(ARGV[a + 1]), window = tonumber(ARGV[a + 2]), capacity = tonumber(ARGV[a + 3]),
           queue = tonumber(ARGV[a + 4]), interval = tonumber(ARGV[a + 5]), rate = tonumber(ARGV[a + 6]) }
end
local ALG = {}
-- Most algorithms keep a few numbers per key, stored as one string 'a:b:c' with a TTL set in the same SET.
ALG.load = function(key, p)
  local size = ALG.size(p)
  local st = {}
  local n = 0
  local raw = redis.call('GET', key)
  if raw then
    for x in string.gmatch(raw, '[^:]+') do n = n + 1; st[n] = tonumber(x) end
  end
  for j = n + 1, size do st[j] = 0 end
  return st
end
ALG.save = function(key, st, p)
  local ttl = math.ceil(ALG.idle_at(st, p) - now)
  if ttl < 1 then redis.call('DEL', key) return end
  local parts = {}
  for j = 1, ALG.size(p) do parts[j] = fmt(st[j]) end
  redis.call('SET', key, table.concat(parts, ':'), 'PX', ttl + TTL_SLACK)
end
`;

export const DRIVER = `
local n = #KEYS
local states, verdicts = {}, {}
local allowed = true
for i = 1, n do
  states[i] = ALG.load(KEYS[i], P[i])
  verdicts[i] = ALG.evaluate(states[i], P[i], cost)
  if not verdicts[i][1] then allowed = false end
end
if allowed or count_refused then
  for i = 1, n do
    ALG.record(states[i], P[i], cost)
    ALG.save(KEYS[i], states[i], P[i])
  end
end
local chosen, delay = 1, 0
for i = 1, n do
  local v, best = verdicts[i], verdicts[chosen]
  if allowed then
    if v[2] < best[2] then chosen = i end
    if v[5] > delay then delay = v[5] end
  elseif (not v[1]) and (best[1] or v[4] > best[4]) then
    chosen = i
  end
end
local v = verdicts[chosen]
local remaining, retry = v[2], v[4]
if allowed then retry = 0 end
return { allowed and 1 or 0, fmt(P[chosen].limit), fmt(remaining), fmt(v[3]), fmt(retry), fmt(delay), chosen - 1 }
`;
