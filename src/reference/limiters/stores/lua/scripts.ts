import { createHash } from 'node:crypto';
import type { AlgorithmName } from '../../algorithms/types.js';
import { bucketLua } from './buckets.js';
import { DRIVER, PRELUDE } from './driver.js';
import { fixedWindowLua } from './fixed-window.js';
import { gcraLua } from './gcra.js';
import { leakyQueueLua } from './leaky-queue.js';
import { slidingCounterLua } from './sliding-counter.js';
import { slidingLogLua } from './sliding-log.js';

const BODIES: Record<AlgorithmName, string> = {
  'fixed-window': fixedWindowLua(false),
  'fixed-window-anchored': fixedWindowLua(true),
  'sliding-log': slidingLogLua,
  'sliding-counter': slidingCounterLua,
  'token-bucket': bucketLua,
  'leaky-meter': bucketLua,
  'leaky-queue': leakyQueueLua,
  gcra: gcraLua,
};

export interface LimiterScript {
  source: string;
  sha1: string;
}

/** The one Lua script that decides a request for this algorithm, and its SHA1 for EVALSHA. */
export function limiterScript(algorithm: AlgorithmName): LimiterScript {
  const source = `-- gauntlet limiter: ${algorithm}\n${PRELUDE}${BODIES[algorithm]}${DRIVER}`;
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}
