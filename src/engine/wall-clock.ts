import { GauntletError } from '../util/errors.js';

/** A wait for an instant was cut short by its signal (the run was interrupted, or the check stopped). */
export class WaitAborted extends GauntletError {
  constructor() {
    super('E_INTERRUPTED', 'interrupted while waiting');
  }
}

/** Wall-clock time in milliseconds with sub-millisecond resolution (Date.now() has whole milliseconds). */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

const SPIN_MS = 3;

/**
 * Resolves at a chosen wall-clock instant, aiming at sub-millisecond error: a timer sleeps until a few
 * milliseconds before, then the event loop spins on the high-resolution clock. Returns the error (actual minus
 * target, ms). Rejects with the signal's reason if aborted while sleeping. Bounded: never waits past `maxWaitMs`.
 */
export async function waitUntil(targetMs: number, options: { signal?: AbortSignal; maxWaitMs?: number } = {}): Promise<number> {
  const maxWaitMs = options.maxWaitMs ?? 10 * 60_000;
  const sleepMs = targetMs - wallClockMs() - SPIN_MS;
  if (sleepMs > maxWaitMs) throw new RangeError(`refusing to wait ${Math.round(sleepMs)}ms (over ${maxWaitMs}ms)`);
  if (sleepMs > 0) {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new WaitAborted());
      };
      const timer = setTimeout(() => {
        options.signal?.removeEventListener('abort', onAbort);
        resolve();
      }, sleepMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
  let now = wallClockMs();
  while (now < targetMs) now = wallClockMs();
  return now - targetMs;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
