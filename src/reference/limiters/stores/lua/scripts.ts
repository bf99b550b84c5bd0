import { createHash } from 'node:crypto';
import type { AlgorithmName, Policy } from '../../algorithms/types.js';
import { bucketLua } from './buckets.js';
import { fixedWindowLua } from './fixed-window.js';
import { gcraLua } from './gcra.js';
import { leakyQueueLua } from './leaky-queue.js';
import { lit, type LuaAlgorithm } from './lua-algorithm.js';
import { slidingCounterLua } from './sliding-counter.js';
import { slidingLogLua } from './sliding-log.js';

const ALGORITHMS: Record<AlgorithmName, LuaAlgorithm> = {
  'fixed-window': fixedWindowLua(false),
  'fixed-window-anchored': fixedWindowLua(true),
  'sliding-log': slidingLogLua,
  'sliding-counter': slidingCounterLua,
  'token-bucket': bucketLua,
  'leaky-meter': bucketLua,
  'leaky-queue': leakyQueueLua,
  gcra: gcraLua,
};

/** Lua allows 200 locals per function; each policy takes about 15. */
export const MAX_REDIS_POLICIES = 8;

export interface LimiterScript {
  source: string;
  sha1: string;
}

/**
 * The one Lua script that decides a request for this algorithm and these policies, and its SHA1 for EVALSHA.
 * Straight-line code with the policies' constants written in: no tables, closures or argument parsing per call,
 * which keeps each decision's time inside Redis close to that of a bare INCR-and-EXPIRE script.
 *
 * KEYS: one per policy. ARGV: [1] pinned time in ms ('' = Redis TIME), [2] cost.
 * Reply: 6 little-endian doubles: allowed, remaining, resetMs, retryAfterMs, delayMs, deciding policy index.
 */
export function limiterScript(algorithm: AlgorithmName, policies: readonly Policy[], options: { countRefused: boolean; offsetMs: number }): LimiterScript {
  if (policies.length > MAX_REDIS_POLICIES) throw new RangeError(`the Redis store takes at most ${MAX_REDIS_POLICIES} policies per limiter; got ${policies.length}`);
  const lua = ALGORITHMS[algorithm];
  const blocks = policies.map((p, index) => {
    const i = index + 1;
    const fill = (code: string) => code.replaceAll('$', `_${i}`).replaceAll('KEY', `KEYS[${i}]`);
    const state = lua.state.map(fill);
    const packed = `'<${'d'.repeat(state.length)}'`;
    const load = lua.load
      ? fill(lua.load(p))
      : `
local ${state.join(', ')} = ${state.map(() => '0').join(', ')}
local raw_${i} = redis.call('GET', KEYS[${i}])
if raw_${i} then ${state.join(', ')} = struct.unpack(${packed}, raw_${i}) end`;
    const save = lua.save
      ? fill(lua.save(p))
      : `
local ttl_${i} = math.ceil(${fill(lua.idleAt(p))} - now)
if ttl_${i} < 1 then redis.call('DEL', KEYS[${i}]) else redis.call('SET', KEYS[${i}], struct.pack(${packed}, ${state.join(', ')}), 'PX', ttl_${i} + TTL_SLACK) end`;
    return {
      evaluate: `-- policy ${i}: ${p.name.replace(/[\r\n]/g, ' ')}${load}\nlocal ok_${i}, rem_${i}, reset_${i}, retry_${i}, delay_${i}${fill(lua.evaluate(p))}`,
      commit: `${fill(lua.record(p))}${save}`,
    };
  });
  const n = policies.length;
  const range = (f: (i: number) => string) => Array.from({ length: n }, (_, k) => f(k + 1));
  const choose = range((i) =>
    i === 1
      ? ''
      : `
if allowed then
  if rem_${i} < c_rem then chosen, c_ok, c_rem, c_reset, c_retry = ${i}, ok_${i}, rem_${i}, reset_${i}, retry_${i} end
  if delay_${i} > delay then delay = delay_${i} end
elseif (not ok_${i}) and (c_ok or retry_${i} > c_retry) then
  chosen, c_ok, c_rem, c_reset, c_retry = ${i}, ok_${i}, rem_${i}, reset_${i}, retry_${i}
end`,
  ).join('');
  const source = `-- gauntlet limiter: ${algorithm}
local EPSILON = 1e-9
local INF = math.huge
local function wait_ms(x) if x <= 0 then return 0 end return math.ceil(x - EPSILON) end
local now
-- TTLs run on Redis's real clock. With a pinned time (tests, replays) real time and pinned time drift apart, so
-- keys live a minute longer than their state matters: state past its idle time reads as fresh anyway.
local TTL_SLACK = 0
if ARGV[1] ~= '' then
  now = tonumber(ARGV[1])
  TTL_SLACK = 60000
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 + ${lit(options.offsetMs)}
end
local cost = tonumber(ARGV[2])
${blocks.map((b) => b.evaluate).join('\n')}
local allowed = ${range((i) => `ok_${i}`).join(' and ')}
if allowed or ${options.countRefused} then
${blocks.map((b) => `do${b.commit}\nend`).join('\n')}
end
local chosen, c_ok, c_rem, c_reset, c_retry, delay = 1, ok_1, rem_1, reset_1, retry_1, 0
if allowed then delay = delay_1 end${choose}
if allowed then c_retry = 0 end
return struct.pack('<dddddd', allowed and 1 or 0, c_rem, c_reset, c_retry, delay, chosen - 1)
`;
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}
