/**
 * Mirrors algorithms/sliding-log.ts with a Redis list of admission times, oldest first, capped at the limit.
 * Entries that left the window are popped from the head on each decision (amortised O(1)).
 */
export const slidingLogLua = `
ALG.load = function(key, p)
  local cutoff = now - p.window
  while true do
    local head = redis.call('LINDEX', key, 0)
    if (not head) or tonumber(head) > cutoff then break end
    redis.call('LPOP', key)
  end
  return { key = key, size = redis.call('LLEN', key) }
end
ALG.evaluate = function(st, p, cost)
  local cap = p.limit
  local size = st.size
  if size + cost <= cap then return { true, cap - size - cost, p.window, 0, 0 } end
  local reset = 0
  if size > 0 then reset = tonumber(redis.call('LINDEX', st.key, -1)) + p.window - now end
  local retry = INF
  if cost <= cap then
    retry = wait_ms(tonumber(redis.call('LINDEX', st.key, size + cost - cap - 1)) + p.window - now)
  end
  return { false, math.max(0, cap - size), reset, retry, 0 }
end
ALG.record = function(st, p, cost)
  local entries = {}
  local stamp = fmt(now)
  for i = 1, cost do entries[i] = stamp end
  redis.call('RPUSH', st.key, unpack(entries))
  st.size = st.size + cost
  if st.size > p.limit then
    redis.call('LTRIM', st.key, -p.limit, -1)
    st.size = p.limit
  end
end
ALG.save = function(key, st, p)
  redis.call('PEXPIRE', key, math.ceil(p.window) + TTL_SLACK)
end
`;
