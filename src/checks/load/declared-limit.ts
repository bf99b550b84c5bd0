import type { TargetProfile } from '../../scenario/types.js';
import { parseDuration } from '../../util/duration.js';
import { policyModel, policyProblem } from '../rate-limit/policy.js';
import type { DeclaredPolicy } from '../rate-limit/spec.js';
import type { LoadSpec } from './spec.js';

/** The limit a load check judges against: written in the check, or a rate limit of the profile by name. */
export interface DeclaredLimit {
  limit: number;
  windowMs: number;
  /** `10 per 1s`, as messages write it. */
  described: string;
}

export function declaredLimit(spec: Pick<LoadSpec, 'limit'>, profile: TargetProfile): DeclaredLimit | undefined {
  if (spec.limit === undefined) return undefined;
  if (typeof spec.limit === 'object') return { limit: spec.limit.limit, windowMs: parseDuration(spec.limit.window)!, described: `${spec.limit.limit} per ${spec.limit.window}` };
  const policy = ((profile.extensions.rateLimits as Record<string, DeclaredPolicy> | undefined) ?? {})[spec.limit];
  if (!policy || policyProblem(policy)) return undefined;
  return policyModel(policy);
}
