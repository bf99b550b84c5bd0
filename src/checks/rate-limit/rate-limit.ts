import { assertLoadAllowed } from '../../engine/load-guard.js';
import { wallClockMs } from '../../engine/wall-clock.js';
import type { Severity } from '../../results/model.js';
import { parseDuration } from '../../util/duration.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { GauntletError } from '../../util/errors.js';
import type { TargetProfile } from '../../scenario/types.js';
import { deadlineOf } from '../bounds.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { boundary } from './probes/boundary.js';
import { concurrency } from './probes/concurrency.js';
import type { ProbeResult, ProbeRun } from './probes/context.js';
import { discovery } from './probes/discovery.js';
import { fingerprint } from './probes/fingerprint.js';
import { headerTruth } from './probes/header-truth.js';
import { isolation } from './probes/isolation.js';
import { refill } from './probes/refill.js';
import { refusedCounted } from './probes/refused-counted.js';
import { replicas } from './probes/replicas.js';
import { retryAfter } from './probes/retry-after.js';
import { ProbeSession, ProbeTransportError } from './session.js';
import { PROBES, rateLimitProfileProperties, rateLimitProperties, type DeclaredPolicy, type Probe, type RateLimitSpec } from './spec.js';

const PROBE_RUNNERS: Record<Probe, { title: string; run: (run: ProbeRun) => Promise<ProbeResult> }> = {
  discovery: { title: 'a burst admits the declared limit, then is refused', run: discovery },
  'retry-after': { title: 'a refusal is a 429 whose Retry-After tells the truth', run: retryAfter },
  'header-truth': { title: 'the rate-limit headers count down truthfully and reset when they say', run: headerTruth },
  boundary: { title: 'no more than the limit gets through across a window boundary', run: boundary },
  refill: { title: 'the quota refills as the policy says (refill curve)', run: refill },
  isolation: { title: "one client's exhausted quota leaves another's whole", run: isolation },
  'refused-counted': { title: 'refused requests do not lock out a client that keeps retrying', run: refusedCounted },
  concurrency: { title: 'simultaneous requests on separate connections admit no more than the limit', run: concurrency },
  replicas: { title: 'replicas enforce one shared limit', run: replicas },
  fingerprint: { title: 'the limiting algorithm, fitted from the observed decisions', run: fingerprint },
};

function rateLimits(extensions: Record<string, unknown>): Record<string, DeclaredPolicy> {
  return (extensions.rateLimits as Record<string, DeclaredPolicy> | undefined) ?? {};
}

function policyOf(spec: RateLimitSpec, profile: TargetProfile): DeclaredPolicy | undefined {
  return typeof spec.policy === 'string' ? rateLimits(profile.extensions)[spec.policy] : spec.policy;
}

/** The whole check's own bounds (the session enforces them): 40 x limit + 400 requests, 60 x window + 60 s. */
function sessionLimits(spec: RateLimitSpec, policy: DeclaredPolicy): { maxRequests: number; maxDurationMs: number } {
  const windowMs = parseDuration(policy.window)!;
  return {
    maxRequests: spec.maxRequests ?? 40 * policy.limit + 400,
    maxDurationMs: spec.maxDuration !== undefined ? parseDuration(spec.maxDuration)! : 60 * windowMs + 60_000,
  };
}

/** How long an exhausted client stays quiet to have its whole quota back (default: two windows and a margin). */
function recoveryMsOf(policy: DeclaredPolicy): number {
  // Two windows: a sliding counter still weighs the previous window until the current one ends.
  return policy.recovery !== undefined ? parseDuration(policy.recovery)! : 2 * parseDuration(policy.window)! + 100;
}

export const rateLimitKind: CheckKind<RateLimitSpec> = {
  kind: 'rate-limit',
  description: 'Rate-limit conformance: discovery, 429 semantics, header truth, boundary bursts, refill, isolation, refused-counted, concurrency, replicas, algorithm fingerprint.',
  properties: rateLimitProperties,
  required: ['request', 'policy'],
  profileProperties: rateLimitProfileProperties,
  exclusive: true,

  defaultTitle(spec) {
    return `rate limiting of ${(spec.request.method ?? 'GET').toUpperCase()} ${spec.request.path ?? '/'}`;
  },

  // The session's bounds, plus the burst in flight when its deadline passes (each request at its deadline).
  bounds(spec, context) {
    const policy = policyOf(spec, context.profile);
    if (!policy) return { requests: 0, durationMs: 0 };
    const { maxRequests, maxDurationMs } = sessionLimits(spec, policy);
    return {
      requests: maxRequests,
      concurrent: true,
      durationMs: maxDurationMs + deadlineOf(spec.request.timeout, context),
      targets: [context.profile.baseUrl, ...context.profile.replicas],
      smaller: 'select fewer probes, or lower maxRequests',
    };
  },

  quotaRecoveryMs(spec, context) {
    const policy = policyOf(spec, context.profile);
    return policy ? recoveryMsOf(policy) : 0;
  },

  validate(spec, context) {
    const issues: SpecIssue[] = validateRequest(spec.request, context);
    if (typeof spec.policy === 'string' && context.profile) {
      const known = Object.keys(rateLimits(context.profile.extensions));
      if (!known.includes(spec.policy)) {
        const suggestion = didYouMean(spec.policy, known);
        issues.push({ path: ['policy'], code: 'E_UNKNOWN_POLICY', message: `the profile declares no rate limit named '${spec.policy}'`, hint: suggestion ? `did you mean '${suggestion}'?` : 'declare it under rateLimits: in the profile' });
      }
    }
    return issues;
  },

  async run(ctx, spec) {
    const selected = new Set<Probe>(spec.probes ?? PROBES);
    const probes = PROBES.filter((p) => selected.has(p));
    const outcome = (probe: Probe, result: ProbeResult): CheckOutcome => ({
      ...result,
      idSuffix: probe,
      title: PROBE_RUNNERS[probe].title,
      severity: spec.severities?.[probe] as Severity | undefined,
    });
    const policy = policyOf(spec, ctx.profile);
    if (!policy) {
      return probes.map((p) => outcome(p, { status: 'skipped', message: `not run: the target profile declares no rate limit named '${spec.policy as string}'`, evidence: {} }));
    }
    const request = await toRequestSpec(spec.request, ctx.check.source?.file);
    assertLoadAllowed([ctx.http.prepare(request).url.toString(), ...ctx.profile.replicas], ctx.options.allowLoad);
    const windowMs = parseDuration(policy.window)!;
    const limit = policy.limit;
    const { maxRequests, maxDurationMs } = sessionLimits(spec, policy);
    const session = new ProbeSession(
      ctx,
      request,
      {
        limit,
        windowMs,
        recoveryMs: recoveryMsOf(policy),
        refusedStatus: policy.refusedStatus ?? [429],
        keys: policy.keys ?? [],
      },
      { maxRequests, deadline: wallClockMs() + maxDurationMs },
    );
    const run: ProbeRun = {
      session,
      limit,
      windowMs,
      tolerance: spec.tolerance ?? Math.max(1, Math.ceil(limit * 0.05)),
      algorithm: policy.algorithm,
      keyedOn: policy.keyedOn ?? 'key',
      replicas: ctx.profile.replicas,
      refillAt: spec.refillAt ?? [0.25, 0.5, 1],
    };

    try {
      return await runProbes(probes, run, outcome);
    } finally {
      await session.close();
    }
  },
};

/** Errors after which no further probe runs: the bounds are spent, the run was interrupted, answers are too big. */
const ENDS_THE_RUN = new Set(['E_PROBE_BUDGET', 'E_INTERRUPTED', 'E_PROBE_OVERSIZED']);

/** Probes in a row whose requests got no HTTP answer before the rest are not run (as for requests of a check). */
const UNANSWERED_PROBES = 2;

/**
 * Runs the probes in order; a probe that cannot run is errored, and a spent budget or an interrupt ends the run,
 * as does a target that left the requests of UNANSWERED_PROBES probes in a row without an HTTP answer.
 */
async function runProbes(probes: Probe[], run: ProbeRun, outcome: (probe: Probe, result: ProbeResult) => CheckOutcome): Promise<CheckOutcome[]> {
  const { ctx } = run.session;
  const outcomes: CheckOutcome[] = [];
  let unanswered = 0;
  for (const probe of probes) {
    if (ctx.signal.aborted) break;
    if (unanswered >= UNANSWERED_PROBES) {
      outcomes.push(outcome(probe, { status: 'errored', message: `not run: the requests of the last ${UNANSWERED_PROBES} probes got no HTTP answer`, evidence: {} }));
      continue;
    }
    ctx.progress(`probe ${probe}`);
    const started = performance.now();
    try {
      outcomes.push({ ...outcome(probe, await PROBE_RUNNERS[probe].run(run)), durationMs: performance.now() - started });
      unanswered = 0;
    } catch (error) {
      if (error instanceof ProbeTransportError) {
        unanswered++;
        outcomes.push(outcome(probe, { status: 'errored', message: error.message, transport: error.exchange.transport!.class, evidence: { exchanges: [error.exchange] } }));
      } else if (error instanceof GauntletError) {
        outcomes.push(outcome(probe, { status: 'errored', message: `${error.message} [${error.code}]`, evidence: {} }));
        if (ENDS_THE_RUN.has(error.code)) break;
      } else {
        throw error;
      }
    }
  }
  return outcomes;
}
