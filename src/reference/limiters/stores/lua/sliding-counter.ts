/** Mirrors algorithms/sliding-counter.ts. State: current window start, current count, previous count. */
export const slidingCounterLua = `
local function counts(st, start, W)
  if st[1] == start then return st[2], st[3] end
  if st[1] == start - W then return 0, st[2] end
  return 0, 0
end
ALG.size = function(p) return 3 end
ALG.evaluate = function(st, p, cost)
  local W = p.window
  local start = math.floor(now / W) * W
  local current, previous = counts(st, start, W)
  local estimate = previous * ((W - (now - start)) / W) + current
  local allowed = estimate + cost <= p.limit + EPSILON
  local used = 0
  if allowed then used = cost end
  local after = current + used
  local remaining = math.max(0, math.floor(p.limit - estimate - used + EPSILON))
  local reset = 0
  if after > 0 then reset = start + 2 * W - now elseif previous > 0 then reset = start + W - now end
  local retry = 0
  if not allowed then
    if cost > p.limit then
      retry = INF
    elseif current + cost <= p.limit then
      retry = wait_ms(start + W * (1 - (p.limit - cost - current) / previous) - now)
    else
      retry = wait_ms(start + W + math.max(0, W * (1 - (p.limit - cost) / current)) - now)
    end
  end
  return { allowed, remaining, reset, retry, 0 }
end
ALG.record = function(st, p, cost)
  local W = p.window
  local start = math.floor(now / W) * W
  local current, previous = counts(st, start, W)
  st[1] = start
  st[2] = current + cost
  st[3] = previous
end
ALG.idle_at = function(st, p)
  if st[2] == 0 and st[3] == 0 then return -INF end
  return st[1] + 2 * p.window
end
`;
