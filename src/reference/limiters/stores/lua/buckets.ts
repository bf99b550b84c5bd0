import { lit, type LuaAlgorithm } from './lua-algorithm.js';

/**
 * Mirrors algorithms/token-bucket.ts and leaky-meter.ts (the same arithmetic: tokens spent, or water level).
 * State: a$ = amount, b$ = last update.
 */
export const bucketLua: LuaAlgorithm = {
  state: ['a$', 'b$'],
  evaluate: (p) => {
    const C = lit(p.capacity);
    const R = lit(p.ratePerMs);
    return `
local amount$ = a$
local elapsed$ = now - b$
if elapsed$ > 0 then amount$ = math.max(0, a$ - elapsed$ * ${R}) end
ok$ = amount$ + cost <= ${C} + EPSILON
local after$ = amount$
if ok$ then after$ = amount$ + cost end
rem$ = math.max(0, math.floor(${C} - after$ + EPSILON))
reset$ = wait_ms(after$ / ${R})
retry$ = 0
if not ok$ then
  if cost > ${C} then retry$ = INF else retry$ = wait_ms((amount$ + cost - ${C}) / ${R}) end
end
delay$ = 0`;
  },
  record: () => `
a$ = amount$ + cost
b$ = math.max(b$, now)`,
  idleAt: (p) => `b$ + a$ / ${lit(p.ratePerMs)}`,
};
