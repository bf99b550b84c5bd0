/** Mirrors algorithms/fixed-window.ts. State: start, count. */
export const fixedWindowLua = (anchored: boolean) => `
local ANCHORED = ${anchored}
local function window_start(st, p)
  if ANCHORED then
    if st[2] == 0 or now >= st[1] + p.window then return now end
    return st[1]
  end
  return math.floor(now / p.window) * p.window
end
ALG.size = function(p) return 2 end
ALG.evaluate = function(st, p, cost)
  local start = window_start(st, p)
  local count = 0
  if start == st[1] then count = st[2] end
  local finish = start + p.window
  local allowed = count + cost <= p.limit
  local used = 0
  if allowed then used = cost end
  local retry = 0
  if not allowed then
    if cost > p.limit then retry = INF else retry = finish - now end
  end
  return { allowed, math.max(0, p.limit - count - used), finish - now, retry, 0 }
end
ALG.record = function(st, p, cost)
  local start = window_start(st, p)
  if start ~= st[1] then st[1] = start; st[2] = 0 end
  st[2] = st[2] + cost
end
ALG.idle_at = function(st, p)
  if st[2] == 0 then return -INF end
  return st[1] + p.window
end
`;
