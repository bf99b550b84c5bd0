import { fixedWindowAligned, fixedWindowAnchored } from './fixed-window.js';
import { gcra } from './gcra.js';
import { leakyMeter } from './leaky-meter.js';
import { leakyQueue } from './leaky-queue.js';
import { slidingCounter } from './sliding-counter.js';
import { slidingLog } from './sliding-log.js';
import { tokenBucket } from './token-bucket.js';
import { ALGORITHM_NAMES, type Algorithm, type AlgorithmName } from './types.js';

/** Every algorithm in one object shape, so code that calls any of them sees a single hidden class. */
const uniform = (a: Algorithm): Algorithm => ({ name: a.name, summary: a.summary, stateSize: a.stateSize, evaluate: a.evaluate, record: a.record, idleAt: a.idleAt });

export const ALGORITHMS: Readonly<Record<AlgorithmName, Algorithm>> = {
  'fixed-window': uniform(fixedWindowAligned),
  'fixed-window-anchored': uniform(fixedWindowAnchored),
  'sliding-log': uniform(slidingLog),
  'sliding-counter': uniform(slidingCounter),
  'token-bucket': uniform(tokenBucket),
  'leaky-meter': uniform(leakyMeter),
  'leaky-queue': uniform(leakyQueue),
  gcra: uniform(gcra),
};

export function isAlgorithmName(name: string): name is AlgorithmName {
  return (ALGORITHM_NAMES as readonly string[]).includes(name);
}

export function algorithmByName(name: string): Algorithm {
  if (!isAlgorithmName(name)) throw new RangeError(`unknown limiter algorithm '${name}'; known: ${ALGORITHM_NAMES.join(', ')}`);
  return ALGORITHMS[name];
}
