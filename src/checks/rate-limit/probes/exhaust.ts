import type { Observation } from '../observation.js';
import type { ProbeClient } from '../session.js';

/**
 * Spends a caller's quota: a burst of `size`, and once more if every request of it was admitted. A burst that
 * straddles the edge of a clock-aligned window can be admitted whole (a fixed window serves up to twice its limit
 * across an edge); the next one, within one window, cannot. A target with no limit admits both, and the probe's
 * precondition then says so.
 */
export async function exhaustQuota(client: ProbeClient, size: number, label: string): Promise<Observation[]> {
  const first = await client.burst(size, { label });
  if (!first.every((o) => o.admitted)) return first;
  const again = await client.burst(size, { label: `${label}, again (the first was admitted whole, as a burst across a window edge can be)` });
  return [...first, ...again];
}
