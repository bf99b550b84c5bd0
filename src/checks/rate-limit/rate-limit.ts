import { assertLoadAllowed } from '../../engine/load-guard.js';
import { wallClockMs } from '../../engine/wall-clock.js';
import type { Severity } from '../../results/model.js';
import { parseDuration } from '../../util/duration.js';
import { didYouMean } from '../../util/did-you-mean.js';
import type { TargetProfile } from '../../scenario/types.js';
import { deadlineOf } from '../bounds.js';
import { narrowListed } from '../cases.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome, SpecIssue, SpecValidationContext } from '../types.js';
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
import { ProbeSession } from './session.js';
import { forwardedFor } from './probes/forwarded-for.js';
import { guessedKeys } from './probes/guessed-keys.js';
import { keyPlacement } from './probes/key-placement.js';
import { baseCaller, callersOf, callersTaken } from './callers.js';
import { runProbes, type ProbeRunner } from './run-probes.js';
import { statusClassifier } from './observation.js';
import { policyModel, policyProblem, type PolicyModel } from './policy.js';
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
  'guessed-keys': { title: 'guessing keys meets the limit: made-up keys do not each get a bucket', run: guessedKeys },
  'key-placement': { title: 'one key sent in another place shares its bucket', run: keyPlacement },
  'forwarded-for': { title: 'a forged X-Forwarded-For does not reset the quota', run: forwardedFor },
};

function rateLimits(extensions: Record<string, unknown>): Record<string, DeclaredPolicy> {
  return (extensions.rateLimits as Record<string, DeclaredPolicy> | undefined) ?? {};
}

function policyOf(spec: RateLimitSpec, profile: TargetProfile): DeclaredPolicy | undefined {
  return typeof spec.policy === 'string' ? rateLimits(profile.extensions)[spec.policy] : spec.policy;
}

/** The whole check's own bounds (the session enforces them): 40 x limit + 400 requests, 60 x window + 60 s. */
function sessionLimits(spec: RateLimitSpec, model: PolicyModel): { maxRequests: number; maxDurationMs: number } {
  return {
    maxRequests: spec.maxRequests ?? 40 * model.limit + 400,
    maxDurationMs: spec.maxDuration !== undefined ? parseDuration(spec.maxDuration)! : 60 * model.windowMs + 60_000,
  };
}

/** How long an exhausted client stays quiet to have its whole quota back (default: two windows and a margin). */
function recoveryMsOf(policy: DeclaredPolicy): number {
  if (policy.recovery !== undefined) return parseDuration(policy.recovery)!;
  // Two windows: a sliding counter still weighs the previous window until the current one ends.
  return policyProblem(policy) ? 0 : 2 * policyModel(policy).windowMs + 100;
}

export const rateLimitKind: CheckKind<RateLimitSpec> = {
  kind: 'rate-limit',
  description: 'Rate-limit conformance: discovery, 429 semantics, header truth, boundary bursts, refill, isolation, refused-counted, concurrency, replicas, algorithm fingerprint, and how the limit is keyed.',
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
    if (!policy || policyProblem(policy)) return { requests: 0, durationMs: 0 };
    const { maxRequests, maxDurationMs } = sessionLimits(spec, policyModel(policy));
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
    const policy = typeof spec.policy === 'string' ? (context.profile ? rateLimits(context.profile.extensions)[spec.policy] : undefined) : spec.policy;
    if (policy) issues.push(...policyIssues(policy, typeof spec.policy === 'string' ? `the profile's rate limit '${spec.policy}'` : 'the policy', context));
    return issues;
  },

  narrowToCases: narrowListed<RateLimitSpec>('probes'),

  plannedCases(spec) {
    return selectedProbes(spec).map((probe) => ({ suffix: probe, title: PROBE_RUNNERS[probe].title, severity: spec.severities?.[probe] as Severity | undefined }));
  },

  async run(ctx, spec) {
    const probes = selectedProbes(spec);
    const outcome = (probe: Probe, result: ProbeResult): CheckOutcome => ({
      ...result,
      idSuffix: probe,
      title: PROBE_RUNNERS[probe].title,
      severity: (spec.severities?.[probe] as Severity | undefined) ?? result.severity,
    });
    const policy = policyOf(spec, ctx.profile);
    if (!policy) {
      return probes.map((p) => outcome(p, { status: 'skipped', message: `not run: the target profile declares no rate limit named '${spec.policy as string}'`, evidence: {} }));
    }
    const request = await toRequestSpec(spec.request, ctx.check.source?.file);
    assertLoadAllowed([ctx.http.prepare(request).url.toString(), ...ctx.profile.replicas], ctx.options.allowLoad);
    const model = policyModel(policy);
    const { limit, windowMs } = model;
    const { maxRequests, maxDurationMs } = sessionLimits(spec, model);
    const keyedOn = policy.keyedOn ?? 'key';
    const refusedStatus = policy.refusedStatus ?? [429];
    const transport = spec.transport ?? 'parallel';
    const session = new ProbeSession(
      ctx,
      request,
      {
        limit,
        windowMs,
        recoveryMs: recoveryMsOf(policy),
        classify: statusClassifier(refusedStatus, spec.admittedStatus),
        callers: await callersOf(policy, keyedOn, ctx.http.prepare(request).url, probes),
        callersWanted: callersTaken(probes),
        transport,
      },
      { maxRequests, deadline: wallClockMs() + maxDurationMs },
      baseCaller(request, keyedOn, ctx.profile),
    );
    const run: ProbeRun = {
      session,
      limit,
      windowMs,
      policy: model,
      tolerance: spec.tolerance ?? Math.max(1, Math.ceil(limit * 0.05)),
      algorithm: policy.algorithm,
      keyedOn,
      trustedProxy: policy.trustedProxy ?? false,
      replicas: ctx.profile.replicas,
      refillAt: spec.refillAt ?? [0.25, 0.5, 1],
      transport,
    };

    try {
      return await runProbes(probes, Object.fromEntries(PROBES.map((p) => [p, PROBE_RUNNERS[p].run])) as Record<Probe, ProbeRunner>, run, outcome);
    } finally {
      await session.close();
    }
  },
};

/** The probes a check runs, in the order they run. */
function selectedProbes(spec: RateLimitSpec): Probe[] {
  const selected = new Set<Probe>(spec.probes ?? PROBES);
  return PROBES.filter((p) => selected.has(p));
}

/** Profile names the policy lists as callers must exist; its shape must be one of the two forms. */
function policyIssues(policy: DeclaredPolicy, what: string, context: SpecValidationContext): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const problem = policyProblem(policy);
  if (problem) issues.push({ path: ['policy'], code: 'E_BAD_POLICY', message: `${what}: ${problem}` });
  const profile = context.profile;
  if (!profile) return issues;
  for (const key of policy.keys ?? []) {
    if (!profile.keys.has(key)) issues.push({ path: ['policy'], code: 'E_UNKNOWN_KEY', message: `${what} lists the caller key '${key}', which is not in the target profile (keys:)`, hint: hintFor(key, [...profile.keys.keys()]) });
  }
  for (const identity of policy.identities ?? []) {
    if (!profile.tls.identities.has(identity)) issues.push({ path: ['policy'], code: 'E_UNKNOWN_IDENTITY', message: `${what} lists the caller identity '${identity}', which is not in the target profile (tls.identities)`, hint: hintFor(identity, [...profile.tls.identities.keys()]) });
  }
  return issues;
}

function hintFor(name: string, known: string[]): string | undefined {
  const suggestion = didYouMean(name, known);
  return suggestion ? `did you mean '${suggestion}'?` : undefined;
}


