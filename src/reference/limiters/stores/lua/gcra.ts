import { lit, type LuaAlgorithm } from './lua-algorithm.js';

/** Mirrors algorithms/gcra.ts. State: a$ = theoretical arrival time. */
export const gcraLua: LuaAlgorithm = {
  state: ['a$'],
  evaluate: (p) => {
    const T = lit(p.intervalMs);
    const C = lit(p.capacity);
    return `
local tat$ = math.max(a$, now)
local new_tat$ = tat$ + cost * ${T}
local allow_at$ = new_tat$ - ${C} * ${T}
ok$ = (now - allow_at$) / ${T} >= -EPSILON
local horizon$ = tat$
if ok$ then horizon$ = new_tat$ end
rem$ = math.max(0, math.floor((now - (horizon$ - ${C} * ${T})) / ${T} + EPSILON))
reset$ = wait_ms(horizon$ - now)
retry$ = 0
if not ok$ then
  if cost > ${C} then retry$ = INF else retry$ = wait_ms(allow_at$ - now) end
end
delay$ = 0`;
  },
  record: (p) => `
a$ = math.max(a$, now) + cost * ${lit(p.intervalMs)}`,
  idleAt: () => 'a$',
};
