/**
 * Mirrors algorithms/token-bucket.ts and leaky-meter.ts (the same arithmetic: tokens spent, or water level).
 * State: amount, last update.
 */
export const bucketLua = `
local function amount_now(st, p)
  local elapsed = now - st[2]
  if elapsed > 0 then return math.max(0, st[1] - elapsed * p.rate) end
  return st[1]
end
ALG.size = function(p) return 2 end
ALG.evaluate = function(st, p, cost)
  local amount = amount_now(st, p)
  local allowed = amount + cost <= p.capacity + EPSILON
  local after = amount
  if allowed then after = amount + cost end
  local retry = 0
  if not allowed then
    if cost > p.capacity then retry = INF else retry = wait_ms((amount + cost - p.capacity) / p.rate) end
  end
  return { allowed, math.max(0, math.floor(p.capacity - after + EPSILON)), wait_ms(after / p.rate), retry, 0 }
end
ALG.record = function(st, p, cost)
  st[1] = amount_now(st, p) + cost
  st[2] = math.max(st[2], now)
end
ALG.idle_at = function(st, p)
  if st[1] == 0 then return -INF end
  return st[2] + st[1] / p.rate
end
`;
