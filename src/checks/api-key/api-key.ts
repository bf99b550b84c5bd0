import type { TargetProfile } from '../../scenario/types.js';
import { formatDuration, parseDuration } from '../../util/duration.js';
import { deadlineOf, pollsWithin, sequential, type CheckBounds, type BoundsContext } from '../bounds.js';
import type { CaseInfo } from '../cases.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { CHALLENGE_TITLE, challengeCase } from './challenge.js';
import { EXPOSURE_TITLES, echoCase, stackTraceCase } from './exposure.js';
import { malformedVariants } from './guesses.js';
import { KeyAdmin, keyManagementOf } from './key-admin.js';
import { unsafeMethod } from '../objects/object-request.js';
import { lifecycleCaseInfo, MAX_LIFECYCLE_WAIT_MS, MIN_POLL_MS, runLifecycle, type LifecycleEnv, type LifecycleTiming } from './lifecycle.js';
import { MATRIX_TITLES, runMatrixCase } from './matrix.js';
import { KeyProber } from './probe.js';
import {
  API_KEY_CASES,
  apiKeyProperties,
  DEFAULT_CASE_SEVERITIES,
  keyManagementProfileSchema,
  LIFECYCLE_CASES,
  type ApiKeyCase,
  type ApiKeySpec,
  type KeyRole,
} from './spec.js';

const ORDERED_MATRIX = ['missing', 'malformed', 'unknown', 'revoked', 'expired', 'under-scoped', 'valid', 'query'] as const;
/** Cases judged over the answers to the matrix cases: selected alone, they still need the matrix sent. */
const OVER_ALL_ANSWERS: readonly ApiKeyCase[] = ['www-authenticate', 'echo', 'no-stack-trace'];

/** The cases a run sends, in order; on a request that changes data the valid key acts first (see run). */
function selectedCases(spec: ApiKeySpec): Set<ApiKeyCase> {
  const selected = new Set<ApiKeyCase>(spec.cases ?? API_KEY_CASES);
  if (spec.lifecycle === false) for (const c of LIFECYCLE_CASES) selected.delete(c);
  return selected;
}

function matrixOrder(spec: ApiKeySpec): readonly (typeof ORDERED_MATRIX)[number][] {
  return unsafeMethod(spec.request.method) ? ['valid', ...ORDERED_MATRIX.filter((c) => c !== 'valid')] : ORDERED_MATRIX;
}

/** Every selected case, in the order a run reports them: the matrix, the lifecycle, then the judgements over all answers. */
function plannedCases(spec: ApiKeySpec, context: BoundsContext): CaseInfo[] {
  const selected = selectedCases(spec);
  const lifecycle = lifecycleCaseInfo(lifecycleTiming(spec, context.profile));
  const titled = (name: ApiKeyCase): CaseInfo => {
    const title = MATRIX_TITLES[name] ?? (name === 'www-authenticate' ? CHALLENGE_TITLE : EXPOSURE_TITLES[name]) ?? lifecycle[name as keyof typeof lifecycle].title;
    return { suffix: name, title, severity: spec.severities?.[name] ?? DEFAULT_CASE_SEVERITIES[name] };
  };
  return [...matrixOrder(spec), ...LIFECYCLE_CASES, ...OVER_ALL_ANSWERS].filter((c) => selected.has(c)).map(titled);
}

const ms = (value: string | number | undefined, fallback: number) => (value === undefined ? fallback : (parseDuration(value) ?? fallback));

function lifecycleTiming(spec: ApiKeySpec, profile: TargetProfile): LifecycleTiming {
  const grace = keyManagementOf(profile)?.rotate?.grace;
  const options = spec.lifecycle || {};
  return {
    graceMs: grace === undefined ? undefined : parseDuration(grace),
    graceToleranceMs: ms(options.graceTolerance, 2_000),
    revocationWithinMs: ms(options.revocationWithin, 5_000),
    pollMs: ms(options.pollInterval, 100),
  };
}

/** The profile key name for a role: named under roles, else the profile key of the same name. */
function roleKey(spec: ApiKeySpec, profile: TargetProfile, role: KeyRole): string | undefined {
  return spec.roles?.[role] ?? (profile.keys.has(role) ? role : undefined);
}

/**
 * Every matrix case sends one request (malformed: one per variant). The lifecycle, when the profile makes it
 * possible: create, use, list, rotate, the old key within grace, the new key, a poll through grace + tolerance,
 * revoke, a poll through revocationWithin, and a last revoke to clean up.
 */
function apiKeyBounds(spec: ApiKeySpec, context: BoundsContext): CheckBounds {
  const selected = new Set<ApiKeyCase>(spec.cases ?? API_KEY_CASES);
  const deadline = deadlineOf(spec.request.timeout, context);
  const matrix = ORDERED_MATRIX.filter((c) => selected.has(c)).reduce((n, c) => n + (c === 'malformed' ? malformedVariants().length : 1), 0);
  const management = keyManagementOf(context.profile);
  const lifecycle = spec.lifecycle !== false && LIFECYCLE_CASES.some((c) => selected.has(c)) && management && roleKey(spec, context.profile, 'admin');
  if (!lifecycle) return sequential(matrix, deadline);
  const t = lifecycleTiming(spec, context.profile);
  const rotates = selected.has('rotation') && management.rotate !== undefined && t.graceMs !== undefined && t.graceMs <= MAX_LIFECYCLE_WAIT_MS;
  const rotation = rotates ? 3 + pollsWithin(t.graceMs! + t.graceToleranceMs, t.pollMs) : 0;
  const revocation = selected.has('revocation') ? 1 + pollsWithin(t.revocationWithinMs, t.pollMs) : 1;
  const requests = matrix + 3 + rotation + revocation + 1;
  const waits = (rotates ? t.graceMs! + t.graceToleranceMs : 0) + (selected.has('revocation') ? t.revocationWithinMs : 0);
  return sequential(requests, deadline, waits, { smaller: `lifecycle: false sends at most ${matrix}` });
}

/**
 * The API-key matrix: a protected request sent with no key, malformed keys, and each key role of the
 * profile (unknown, revoked, expired, under-scoped, valid), a key in the query string; the key lifecycle
 * through the target's admin endpoints when the profile describes them; and, over every answer, that no key
 * is echoed back and no refusal shows a stack trace. One result per case.
 */
export const apiKeyKind: CheckKind<ApiKeySpec> = {
  kind: 'api-key',
  description: 'API-key handling: missing, malformed, unknown, revoked, expired, under-scoped and valid keys, keys in the query string, the 401 challenge, echoes, and the create/rotate/revoke lifecycle.',
  properties: apiKeyProperties,
  required: ['request'],
  profileProperties: { keyManagement: keyManagementProfileSchema },

  defaultTitle: (spec) => `API keys on ${(spec.request.method ?? 'GET').toUpperCase()} ${spec.request.path ?? '/'}`,

  bounds: apiKeyBounds,

  plannedCases,

  narrowToCases(spec, suffixes) {
    const judgesOthers = suffixes.some((s) => OVER_ALL_ANSWERS.includes(s as ApiKeyCase));
    const others = judgesOthers ? [...selectedCases(spec)].filter((c) => (ORDERED_MATRIX as readonly string[]).includes(c)) : [];
    return { ...spec, cases: [...new Set([...others, ...suffixes])] as ApiKeyCase[] };
  },

  validate(spec, context) {
    const issues: SpecIssue[] = validateRequest(spec.request, context);
    const lifecycle = spec.lifecycle || {};
    const poll = lifecycle.pollInterval === undefined ? undefined : parseDuration(lifecycle.pollInterval);
    if (poll !== undefined && poll < MIN_POLL_MS) {
      issues.push({ path: ['lifecycle', 'pollInterval'], code: 'E_BAD_VALUE', message: `pollInterval must be at least ${MIN_POLL_MS}ms: polls are paced, not a burst` });
    }
    for (const field of ['graceTolerance', 'revocationWithin'] as const) {
      const value = lifecycle[field] === undefined ? undefined : parseDuration(lifecycle[field]!);
      if (value !== undefined && value > MAX_LIFECYCLE_WAIT_MS) {
        issues.push({ path: ['lifecycle', field], code: 'E_BAD_VALUE', message: `${field} must be at most ${formatDuration(MAX_LIFECYCLE_WAIT_MS)}: a check does not wait longer` });
      }
    }
    const profile = context.profile;
    if (profile) {
      for (const [role, name] of Object.entries(spec.roles ?? {})) {
        if (!profile.keys.has(name)) {
          const defined = [...profile.keys.keys()];
          issues.push({
            path: ['roles', role],
            code: 'E_UNKNOWN_KEY',
            message: `API key '${name}' (role ${role}) is not in the target profile`,
            hint: defined.length ? `defined: ${defined.join(', ')}` : 'the profile defines no keys',
          });
        }
      }
    }
    return issues;
  },

  async run(ctx, spec) {
    const base = await toRequestSpec({ ...spec.request }, ctx.check.source?.file);
    const placement = { in: spec.in ?? 'header', header: spec.header, param: spec.param };
    const prober = new KeyProber(ctx, base, placement);
    const role = (r: KeyRole) => roleKey(spec, ctx.profile, r);
    const selected = selectedCases(spec);
    const outcomes: CheckOutcome[] = [];

    // On a request that changes data, the valid key acts first: a key the target wrongly served would otherwise
    // have spent the object (deleted or rotated it), and the valid control would fail for that, not for itself.
    for (const name of matrixOrder(spec)) {
      if (!selected.has(name) || ctx.signal.aborted) continue;
      ctx.progress(`case ${name}`);
      outcomes.push(await runMatrixCase(name, { prober, role, keyValue: (n) => ctx.profile.keys.get(n), queryParam: spec.queryParam ?? 'api_key' }));
    }

    const management = keyManagementOf(ctx.profile);
    const adminKey = role('admin');
    const env: LifecycleEnv = {
      ctx,
      prober,
      selected,
      admin: management && adminKey ? new KeyAdmin(ctx, management, adminKey, placement) : undefined,
      unavailable: !management
        ? 'the profile describes no key-management endpoints (keyManagement:)'
        : "the profile has no 'admin' key to manage keys with (roles.admin)",
      timing: lifecycleTiming(spec, ctx.profile),
    };
    if (!ctx.signal.aborted) {
      ctx.progress('key lifecycle');
      outcomes.push(...(await runLifecycle(env)));
    }

    if (selected.has('www-authenticate')) outcomes.push(challengeCase(prober.probes));
    if (selected.has('echo')) outcomes.push(echoCase(prober.probes));
    if (selected.has('no-stack-trace')) outcomes.push(stackTraceCase(prober.probes));
    return outcomes.map((o) => {
      const severity = spec.severities?.[o.idSuffix as ApiKeyCase] ?? DEFAULT_CASE_SEVERITIES[o.idSuffix as ApiKeyCase];
      return severity ? { ...o, severity } : o;
    });
  },
};
