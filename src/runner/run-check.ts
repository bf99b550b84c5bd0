import type { CheckContext, CheckKind, CheckOutcome } from '../checks/types.js';
import type { HttpClient } from '../engine/http-client.js';
import type { CheckResult, SourceLocation } from '../results/model.js';
import type { SecretRegistry } from '../results/secrets.js';
import type { CheckSpecBase, LoadedCheck, TargetProfile } from '../scenario/types.js';
import { findVarRefs, interpolate } from '../scenario/variables.js';
import { GauntletError } from '../util/errors.js';

const MISSING_FROM_PROFILE = new Set(['E_UNKNOWN_KEY', 'E_UNKNOWN_IDENTITY']);

export interface CheckRunEnv {
  profile: TargetProfile;
  http: HttpClient;
  secrets: SecretRegistry;
  signal: AbortSignal;
  timeoutMs: number;
  allowLoad: boolean;
  onProgress(checkId: string, message: string): void;
}

/** Runs one loaded check with the scenario's variables, turning anything it throws into an errored result. */
export async function runCheck(
  kind: CheckKind,
  loaded: LoadedCheck,
  scenario: string,
  vars: Map<string, unknown>,
  env: CheckRunEnv,
): Promise<CheckResult[]> {
  const startedAt = new Date();
  const start = performance.now();
  const raw = loaded.spec;
  const base = {
    kind: raw.kind,
    scenario,
    severity: raw.severity,
    tags: raw.tags ?? [],
    source: loaded.source,
    startedAt: startedAt.toISOString(),
  };

  if (raw.skip) {
    const title = raw.title ?? safeTitle(kind, raw);
    const reason = typeof raw.skip === 'string' ? raw.skip : 'skip: true in the scenario';
    return [{ ...base, id: raw.id, title, status: 'skipped', message: reason, evidence: {}, durationMs: 0 }];
  }

  const spec = interpolate(raw, vars) as CheckSpecBase & Record<string, unknown>;
  const title = spec.title ?? safeTitle(kind, spec);
  const unresolved = findVarRefs(spec).map((r) => r.name);
  if (unresolved.length) {
    const names = [...new Set(unresolved)].map((n) => `{{${n}}}`).join(', ');
    return [
      {
        ...base,
        id: raw.id,
        title,
        // Not run, rather than errored: the cause is the earlier check, which already carries the failure.
        status: 'skipped',
        message: `not run: ${names} has no value because the check that captures it failed or was not selected`,
        evidence: {},
        durationMs: performance.now() - start,
      },
    ];
  }

  const ctx: CheckContext = {
    check: { id: raw.id, title, severity: raw.severity, source: loaded.source, tags: base.tags },
    profile: env.profile,
    http: env.http,
    vars,
    capture: (name, value) => {
      vars.set(name, value);
    },
    secrets: env.secrets,
    signal: env.signal,
    options: { timeoutMs: env.timeoutMs, allowLoad: env.allowLoad },
    progress: (message) => env.onProgress(raw.id, message),
  };

  let outcomes: CheckOutcome[];
  try {
    outcomes = await kind.run(ctx, spec);
  } catch (error) {
    if (error instanceof GauntletError && MISSING_FROM_PROFILE.has(error.code)) {
      // The profile does not describe what this check needs (e.g. --target without a profile): not run, not a failure.
      outcomes = [{ status: 'skipped', message: `not run: ${error.message}`, evidence: {} }];
    } else {
      const message = error instanceof GauntletError ? `${error.message} [${error.code}]` : `internal error in the ${kind.kind} check: ${(error as Error)?.stack ?? error}`;
      outcomes = [{ status: 'errored', message, evidence: {} }];
    }
  }
  const durationMs = performance.now() - start;
  return outcomes.map((outcome) => toResult(outcome, raw.id, title, base, durationMs / outcomes.length));
}

function toResult(
  outcome: CheckOutcome,
  id: string,
  title: string,
  base: Omit<CheckResult, 'id' | 'title' | 'status' | 'message' | 'evidence' | 'durationMs'> & { source: SourceLocation },
  durationMs: number,
): CheckResult {
  return {
    ...base,
    id: outcome.idSuffix ? `${id}.${outcome.idSuffix}` : id,
    case: outcome.idSuffix,
    title: outcome.title ?? title,
    severity: outcome.severity ?? base.severity,
    status: outcome.status,
    message: outcome.message,
    assertions: outcome.assertions,
    transport: outcome.transport,
    evidence: outcome.evidence,
    durationMs: outcome.durationMs ?? durationMs,
  };
}

function safeTitle(kind: CheckKind, spec: CheckSpecBase & Record<string, unknown>): string {
  try {
    return kind.defaultTitle(spec);
  } catch {
    return spec.id;
  }
}
