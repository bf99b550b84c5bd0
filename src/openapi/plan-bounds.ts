import type { CheckBounds } from '../checks/bounds.js';
import { kindByName } from '../checks/index.js';
import { profileFromTarget } from '../scenario/load-profile.js';
import type { TargetProfile } from '../scenario/types.js';
import type { AuditPlan } from './plan/plan.js';

/** The profile a plan's bounds are worked out against: its keys, defaults and rate limits, with dummy values. */
export function planProfile(plan: AuditPlan, target: string): TargetProfile {
  const profile = profileFromTarget(target);
  for (const slot of plan.credentials.slots) profile.keys.set(slot.name, 'x');
  profile.extensions.rateLimits = Object.fromEntries([...plan.rateLimits].map(([family, limit]) => [family, limit ?? { limit: 1, window: '1s' }]));
  return profile;
}

/** The most requests and time one planned check can cost, as its kind declares it (skipped checks cost nothing). */
export function plannedBounds(spec: Record<string, unknown> & { kind: string }, profile: TargetProfile): CheckBounds {
  if (spec.skip) return { requests: 0, durationMs: 0 };
  return kindByName(spec.kind)!.bounds(spec as never, { timeoutMs: profile.timeouts.requestMs, profile });
}
