import { parseDuration } from '../../util/duration.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { echoCase, stackTraceCase } from './exposure.js';
import { KeyAdmin, keyManagementOf } from './key-admin.js';
import { runLifecycle, type LifecycleEnv } from './lifecycle.js';
import { runMatrixCase } from './matrix.js';
import { KeyProber } from './probe.js';
import {
  API_KEY_CASES,
  apiKeyProperties,
  keyManagementProfileSchema,
  LIFECYCLE_CASES,
  type ApiKeyCase,
  type ApiKeySpec,
  type KeyRole,
} from './spec.js';

const ORDERED_MATRIX = ['missing', 'malformed', 'unknown', 'revoked', 'expired', 'under-scoped', 'valid', 'query'] as const;

const ms = (value: string | number | undefined, fallback: number) => (value === undefined ? fallback : (parseDuration(value) ?? fallback));

/**
 * The API-key matrix: a protected request sent with no key, malformed keys, and each key role of the
 * profile (unknown, revoked, expired, under-scoped, valid), a key in the query string; the key lifecycle
 * through the target's admin endpoints when the profile describes them; and, over every answer, that no key
 * is echoed back and no refusal shows a stack trace. One result per case.
 */
export const apiKeyKind: CheckKind<ApiKeySpec> = {
  kind: 'api-key',
  description: 'API-key handling: missing, malformed, unknown, revoked, expired, under-scoped and valid keys, keys in the query string, echoes, and the create/rotate/revoke lifecycle.',
  properties: apiKeyProperties,
  required: ['request'],
  profileProperties: { keyManagement: keyManagementProfileSchema },

  defaultTitle: (spec) => `API keys on ${(spec.request.method ?? 'GET').toUpperCase()} ${spec.request.path ?? '/'}`,

  validate(spec, context) {
    const issues: SpecIssue[] = validateRequest(spec.request, context);
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
    const placement = { in: spec.in ?? 'header', header: spec.header };
    const prober = new KeyProber(ctx, base, placement);
    const role = (r: KeyRole) => spec.roles?.[r] ?? (ctx.profile.keys.has(r) ? r : undefined);
    const selected = new Set<ApiKeyCase>(spec.cases ?? API_KEY_CASES);
    if (spec.lifecycle === false) for (const c of LIFECYCLE_CASES) selected.delete(c);
    const outcomes: CheckOutcome[] = [];

    for (const name of ORDERED_MATRIX) {
      if (!selected.has(name) || ctx.signal.aborted) continue;
      ctx.progress(`case ${name}`);
      outcomes.push(await runMatrixCase(name, { prober, role, keyValue: (n) => ctx.profile.keys.get(n), queryParam: spec.queryParam ?? 'api_key' }));
    }

    const management = keyManagementOf(ctx.profile);
    const adminKey = role('admin');
    const lifecycleOptions = spec.lifecycle || {};
    const env: LifecycleEnv = {
      ctx,
      prober,
      selected,
      admin: management && adminKey ? new KeyAdmin(ctx, management, adminKey, placement) : undefined,
      unavailable: !management
        ? 'the profile describes no key-management endpoints (keyManagement:)'
        : "the profile has no 'admin' key to manage keys with (roles.admin)",
      timing: {
        graceMs: management?.rotate?.grace === undefined ? undefined : parseDuration(management.rotate.grace),
        graceToleranceMs: ms(lifecycleOptions.graceTolerance, 2_000),
        revocationWithinMs: ms(lifecycleOptions.revocationWithin, 5_000),
        pollMs: ms(lifecycleOptions.pollInterval, 100),
      },
    };
    if (!ctx.signal.aborted) {
      ctx.progress('key lifecycle');
      outcomes.push(...(await runLifecycle(env)));
    }

    if (selected.has('echo')) outcomes.push(echoCase(prober.probes));
    if (selected.has('no-stack-trace')) outcomes.push(stackTraceCase(prober.probes));
    return outcomes;
  },
};
