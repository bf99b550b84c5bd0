import type { AlgorithmName } from '../../../reference/limiters/algorithms/index.js';
import type { Chart } from '../../../results/charts.js';
import type { AssertionResult, Exchange } from '../../../results/model.js';
import { judgeAssertions } from '../../outcomes.js';
import type { CheckOutcome } from '../../types.js';
import type { Transport } from '../../../engine/burst.js';
import type { PolicyModel } from '../policy.js';
import type { ProbeSession } from '../session.js';

/** What every probe is given. */
export interface ProbeRun {
  session: ProbeSession;
  limit: number;
  windowMs: number;
  /** The declared policy as the probes model it (a rate and burst become a limit per window). */
  policy: PolicyModel;
  /** Extra admitted requests forgiven. */
  tolerance: number;
  algorithm?: AlgorithmName;
  keyedOn: 'key' | 'identity' | 'ip' | 'global';
  /** gauntlet reaches the target through a proxy trusted to set X-Forwarded-For. */
  trustedProxy: boolean;
  replicas: string[];
  refillAt: number[];
  transport: Transport;
}

/** What a probe returns; the kind adds the id suffix and title, and the check's severities override its own. */
export type ProbeResult = Omit<CheckOutcome, 'idSuffix' | 'title'>;

export function judged(
  assertions: AssertionResult[],
  exchanges: Exchange[],
  passMessage: string,
  extra: { charts?: Chart[]; data?: Record<string, unknown>; notes?: string[] } = {},
): ProbeResult {
  return judgeAssertions(assertions, { exchanges, ...extra }, passMessage);
}

export function skipped(reason: string): ProbeResult {
  return { status: 'skipped', message: reason, evidence: {} };
}

export const isFixedWindow = (algorithm: AlgorithmName | undefined) => algorithm === 'fixed-window' || algorithm === 'fixed-window-anchored';
