import { createLimiterStore } from '../reference/limiters/create-store.js';
import type { AlgorithmName } from '../reference/limiters/algorithms/index.js';
import type { Limiter } from '../reference/limiters/limiter.js';
import type { ReferenceServerOptions } from '../reference/server/options.js';
import type { TargetProfile } from '../scenario/types.js';

/** The demo's limit: short, so every rate-limit probe runs in about a second or two. */
export const DEMO_LIMIT = { name: 'search', limit: 10, windowMs: 1000 };
/** Only this route is limited, so the other scenarios' requests never meet a 429 they did not ask for. */
export const DEMO_LIMITED_PATH = '/api/search';
/** Keys with a quota of their own: one per rate-limit probe (scenarios/rate-limit.yaml), and one for load. */
export const DEMO_RATE_LIMIT_KEYS = Array.from({ length: 14 }, (_, i) => `rl-${i + 1}`);
export const DEMO_LOAD_KEY = 'rl-load';
/** How many processes the limit-per-worker flaw pretends to run. */
const EMULATED_WORKERS = 4;

/**
 * Rate limiting for the demo: `algorithm` on /api/search, keyed on the API key, in memory. With limit-per-worker the
 * count is split over emulated workers, one per connection in turn. The profile learns the declared policy and the
 * keys that give each probe a fresh quota.
 */
export async function addRateLimiting(options: ReferenceServerOptions, flaws: ReadonlySet<string>, algorithm: AlgorithmName): Promise<{ describe(profile: TargetProfile): void; close(): Promise<void> }> {
  const config = { algorithm, policies: [{ name: DEMO_LIMIT.name, limit: DEMO_LIMIT.limit, windowMs: DEMO_LIMIT.windowMs }] };
  const { limiter } = await createLimiterStore(config, flaws);
  const workers: Limiter[] = [];
  if (flaws.has('limit-per-worker')) {
    for (let i = 0; i < EMULATED_WORKERS; i++) workers.push((await createLimiterStore(config, flaws)).limiter);
  }
  options.limiter = { limiter, paths: [DEMO_LIMITED_PATH], perConnection: workers.length ? workers : undefined };
  return {
    describe(profile) {
      profile.extensions.rateLimits = {
        [DEMO_LIMIT.name]: { limit: DEMO_LIMIT.limit, window: `${DEMO_LIMIT.windowMs}ms`, algorithm, keyedOn: 'key', keys: DEMO_RATE_LIMIT_KEYS },
      };
    },
    async close() {
      for (const l of [limiter, ...workers]) await l.close();
    },
  };
}
