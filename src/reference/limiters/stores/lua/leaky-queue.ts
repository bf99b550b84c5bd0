/** Mirrors algorithms/leaky-queue.ts. State: the time the queue drains. */
export const leakyQueueLua = `
ALG.size = function(p) return 1 end
ALG.evaluate = function(st, p, cost)
  local T = p.interval
  local start = math.max(st[1], now)
  local wait = start - now
  local allowed = (wait + (cost - 1) * T) / T <= p.queue + EPSILON
  local horizon = start
  local delay = 0
  if allowed then horizon = start + cost * T; delay = wait end
  local remaining = math.max(0, math.min(p.limit, math.floor((p.queue * T - (horizon - now)) / T + EPSILON) + 1))
  local retry = 0
  if not allowed then
    if cost - 1 > p.queue then retry = INF else retry = wait_ms(start + (cost - 1 - p.queue) * T - now) end
  end
  return { allowed, remaining, wait_ms(horizon - now), retry, delay }
end
ALG.record = function(st, p, cost)
  st[1] = math.max(st[1], now) + cost * p.interval
end
ALG.idle_at = function(st, p)
  if st[1] == 0 then return -INF end
  return st[1]
end
`;
