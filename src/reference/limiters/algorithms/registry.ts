import { fixedWindowAligned, fixedWindowAnchored } from './fixed-window.js';
import { gcra } from './gcra.js';
import { leakyMeter } from './leaky-meter.js';
import { leakyQueue } from './leaky-queue.js';
import { slidingCounter } from './sliding-counter.js';
import { slidingLog } from './sliding-log.js';
import { tokenBucket } from './token-bucket.js';
import { ALGORITHM_NAMES, type Algorithm, type AlgorithmName } from './types.js';

export const ALGORITHMS: Readonly<Record<AlgorithmName, Algorithm>> = {
  'fixed-window': fixedWindowAligned,
  'fixed-window-anchored': fixedWindowAnchored,
  'sliding-log': slidingLog,
  'sliding-counter': slidingCounter,
  'token-bucket': tokenBucket,
  'leaky-meter': leakyMeter,
  'leaky-queue': leakyQueue,
  gcra,
};

export function isAlgorithmName(name: string): name is AlgorithmName {
  return (ALGORITHM_NAMES as readonly string[]).includes(name);
}

export function algorithmByName(name: string): Algorithm {
  if (!isAlgorithmName(name)) throw new RangeError(`unknown limiter algorithm '${name}'; known: ${ALGORITHM_NAMES.join(', ')}`);
  return ALGORITHMS[name];
}
