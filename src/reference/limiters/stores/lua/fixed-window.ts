import { lit, type LuaAlgorithm } from './lua-algorithm.js';

/** Mirrors algorithms/fixed-window.ts. State: a$ = window start, b$ = count. */
export function fixedWindowLua(anchored: boolean): LuaAlgorithm {
  return {
    state: ['a$', 'b$'],
    evaluate: (p) => `
local start$
${anchored ? `if b$ == 0 or now >= a$ + ${lit(p.windowMs)} then start$ = now else start$ = a$ end` : `start$ = math.floor(now / ${lit(p.windowMs)}) * ${lit(p.windowMs)}`}
local count$ = 0
if start$ == a$ then count$ = b$ end
local finish$ = start$ + ${lit(p.windowMs)}
ok$ = count$ + cost <= ${lit(p.limit)}
local used$ = 0
if ok$ then used$ = cost end
rem$ = math.max(0, ${lit(p.limit)} - count$ - used$)
reset$ = wait_ms(finish$ - now)
retry$ = 0
if not ok$ then
  if cost > ${lit(p.limit)} then retry$ = INF else retry$ = reset$ end
end
delay$ = 0`,
    record: () => `
if start$ ~= a$ then a$ = start$; b$ = 0 end
b$ = b$ + cost`,
    idleAt: (p) => `a$ + ${lit(p.windowMs)}`,
  };
}
