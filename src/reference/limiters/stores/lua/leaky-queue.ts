import { lit, type LuaAlgorithm } from './lua-algorithm.js';

/** Mirrors algorithms/leaky-queue.ts. State: a$ = the time the queue drains. */
export const leakyQueueLua: LuaAlgorithm = {
  state: ['a$'],
  evaluate: (p) => {
    const T = lit(p.intervalMs);
    const Q = lit(p.queue);
    return `
local start$ = math.max(a$, now)
local wait$ = start$ - now
ok$ = (wait$ + (cost - 1) * ${T}) / ${T} <= ${Q} + EPSILON
local horizon$ = start$
delay$ = 0
if ok$ then horizon$ = start$ + cost * ${T}; delay$ = wait_ms(wait$) end
rem$ = math.max(0, math.min(${lit(p.limit)}, math.floor((${Q} * ${T} - (horizon$ - now)) / ${T} + EPSILON) + 1))
reset$ = wait_ms(horizon$ - now)
retry$ = 0
if not ok$ then
  if cost - 1 > ${Q} then retry$ = INF else retry$ = wait_ms(start$ + (cost - 1 - ${Q}) * ${T} - now) end
end`;
  },
  record: (p) => `
a$ = math.max(a$, now) + cost * ${lit(p.intervalMs)}`,
  idleAt: () => 'a$',
};
