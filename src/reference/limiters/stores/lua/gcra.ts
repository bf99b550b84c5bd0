/** Mirrors algorithms/gcra.ts. State: theoretical arrival time. */
export const gcraLua = `
ALG.size = function(p) return 1 end
ALG.evaluate = function(st, p, cost)
  local T = p.interval
  local tat = math.max(st[1], now)
  local new_tat = tat + cost * T
  local allow_at = new_tat - p.capacity * T
  local allowed = (now - allow_at) / T >= -EPSILON
  local horizon = tat
  if allowed then horizon = new_tat end
  local retry = 0
  if not allowed then
    if cost > p.capacity then retry = INF else retry = wait_ms(allow_at - now) end
  end
  local remaining = math.max(0, math.floor((now - (horizon - p.capacity * T)) / T + EPSILON))
  return { allowed, remaining, wait_ms(horizon - now), retry, 0 }
end
ALG.record = function(st, p, cost)
  st[1] = math.max(st[1], now) + cost * p.interval
end
ALG.idle_at = function(st, p)
  if st[1] == 0 then return -INF end
  return st[1]
end
`;
