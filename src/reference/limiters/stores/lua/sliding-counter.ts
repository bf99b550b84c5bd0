import { lit, type LuaAlgorithm } from './lua-algorithm.js';

/** Mirrors algorithms/sliding-counter.ts. State: a$ = current window start, b$ = current count, c$ = previous count. */
export const slidingCounterLua: LuaAlgorithm = {
  state: ['a$', 'b$', 'c$'],
  evaluate: (p) => {
    const W = lit(p.windowMs);
    const N = lit(p.limit);
    return `
local start$ = math.floor(now / ${W}) * ${W}
local current$, previous$ = 0, 0
if a$ == start$ then current$, previous$ = b$, c$ elseif a$ == start$ - ${W} then previous$ = b$ end
local estimate$ = previous$ * ((${W} - (now - start$)) / ${W}) + current$
ok$ = estimate$ + cost <= ${N} + EPSILON
local used$ = 0
if ok$ then used$ = cost end
local after$ = current$ + used$
rem$ = math.max(0, math.floor(${N} - estimate$ - used$ + EPSILON))
reset$ = 0
if after$ > 0 then reset$ = wait_ms(start$ + 2 * ${W} - now) elseif previous$ > 0 then reset$ = wait_ms(start$ + ${W} - now) end
retry$ = 0
if not ok$ then
  if cost > ${N} then
    retry$ = INF
  elseif current$ + cost <= ${N} then
    retry$ = wait_ms(start$ + ${W} * (1 - (${N} - cost - current$) / previous$) - now)
  else
    retry$ = wait_ms(start$ + ${W} + math.max(0, ${W} * (1 - (${N} - cost) / current$)) - now)
  end
end
delay$ = 0`;
  },
  record: () => `
a$ = start$
b$ = current$ + cost
c$ = previous$`,
  idleAt: (p) => `a$ + 2 * ${lit(p.windowMs)}`,
};
