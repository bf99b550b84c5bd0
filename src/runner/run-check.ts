import type { LoadEngine } from '../engine/load-engine.js';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendsLoad, type CheckBounds } from '../checks/bounds.js';
import type { CaseInfo } from '../checks/cases.js';
import { remediationOf } from '../checks/remediation/index.js';
import { taxonomyOf } from '../checks/taxonomy/index.js';
import type { BoundsContext, CheckContext, CheckKind, CheckOutcome } from '../checks/types.js';
import type { HttpClient } from '../engine/http-client.js';
import { assertLoadAllowed } from '../engine/load-guard.js';
import type { CheckResult, SourceLocation } from '../results/model.js';
import type { SecretRegistry } from '../results/secrets.js';
import type { CheckSpecBase, LoadedCheck, TargetProfile } from '../scenario/types.js';
import { unmetReason, unmetRequirements } from '../scenario/requirements.js';
import { findVarRefs, interpolate } from '../scenario/variables.js';
import { formatDuration } from '../util/duration.js';
import { GauntletError } from '../util/errors.js';
import { withNotes, withThrottleNote } from './harness-notes.js';
import type { QuotaSpacing } from './quota-spacing.js';

const MISSING_FROM_PROFILE = new Set(['E_UNKNOWN_KEY', 'E_UNKNOWN_IDENTITY']);

export interface CheckRunEnv {
  profile: TargetProfile;
  http: HttpClient;
  secrets: SecretRegistry;
  signal: AbortSignal;
  timeoutMs: number;
  allowLoad: boolean;
  /** Who generates load checks' load (default: this process, whole). */
  loadEngine?: LoadEngine;
  /** Which hosts count as loopback for the load guard (default: 127.0.0.0/8, ::1, localhost). */
  isLoopback?: (hostname: string) => boolean;
  onProgress(checkId: string, message: string): void;
  /** Spaces the quota-spending checks of the run (see CheckKind.quotaRecoveryMs). */
  quota?: QuotaSpacing;
  /** Told of each internal error (a bug) with the error itself, e.g. to print its stack trace under --verbose. */
  onInternalError?(checkId: string, error: unknown): void;
  /** Once the target is known to be unreachable: what a check that has not started reports instead of running. */
  unreachable?(): CheckOutcome | undefined;
}

/** Time a check gets beyond its declared bound (CPU, judging, a busy machine) before the watchdog stops it. */
export function watchdogMs(bounds: CheckBounds): number {
  return bounds.durationMs + Math.max(2000, bounds.durationMs * 0.1);
}
/** After stopping a check, how long to wait for it to return before giving up on it. */
const ABANDON_AFTER_MS = 2000;

/** Runs one loaded check with the scenario's variables, turning anything it throws into an errored result. */
export async function runCheck(
  kind: CheckKind,
  loaded: LoadedCheck,
  scenario: string,
  vars: Map<string, unknown>,
  env: CheckRunEnv,
): Promise<CheckResult[]> {
  let start = performance.now();
  const raw = loaded.spec;
  let base = resultBase(loaded, scenario);

  if (raw.skip) {
    const title = raw.title ?? safeTitle(kind, raw);
    const reason = typeof raw.skip === 'string' ? raw.skip : 'skip: true in the scenario';
    return [{ ...base, id: raw.id, title, ...filed(raw), status: 'skipped', message: reason, evidence: {}, durationMs: 0 }];
  }

  const unmet = unmetRequirements(raw.requires, env.profile, Object.fromEntries(vars));
  if (unmet.length) {
    const outcomes = completePlan(kind, raw, planContext(env), [], { status: 'skipped', message: unmetReason(unmet, env.profile), evidence: {} });
    return outcomes.map((o) => toResult(o, raw, raw.title ?? safeTitle(kind, raw), base, 0));
  }

  if (env.profile.mutations !== 'allowed' && changesData(kind, raw)) {
    const outcomes = completePlan(kind, raw, planContext(env), [], { status: 'skipped', message: MUTATIONS_FORBIDDEN_REASON, evidence: {} });
    return outcomes.map((o) => toResult(o, raw, raw.title ?? safeTitle(kind, raw), base, 0));
  }

  const spec = interpolate(raw, vars) as CheckSpecBase & Record<string, unknown>;
  // Names come from the scenario as written: a captured or random value (`/users/31`) would rename the check every run.
  const title = raw.title ?? safeTitle(kind, raw);
  const unresolved = findVarRefs(spec).map((r) => r.name);
  if (unresolved.length) {
    const names = [...new Set(unresolved)].map((n) => `{{${n}}}`).join(', ');
    return [
      {
        ...base,
        id: raw.id,
        title,
        ...filed(raw),
        // Not run, rather than errored: the cause is the earlier check, which already carries the failure.
        status: 'skipped',
        message: `not run: ${names} has no value because the check that captures it failed or was not selected`,
        evidence: {},
        durationMs: performance.now() - start,
      },
    ];
  }

  // After the skips that need no target, so a check skipped for its own reason still says so.
  const unreachable = env.unreachable?.();
  if (unreachable) return completePlan(kind, spec, planContext(env), [], unreachable).map((o) => toResult(o, raw, title, base, 0));

  let bounds: CheckBounds;
  let recoveryMs: number | undefined;
  try {
    const context = { timeoutMs: env.timeoutMs, profile: env.profile };
    bounds = kind.bounds(spec, context);
    recoveryMs = kind.quotaRecoveryMs?.(spec, context);
    // Before anything is sent: more than a handful of requests, or any at once, go to loopback only unless allowed.
    if (sendsLoad(bounds)) {
      const what = bounds.concurrent ? 'bursts or load' : `up to ${bounds.requests} requests (more than a handful)`;
      assertLoadAllowed(bounds.targets ?? [env.profile.baseUrl], env.allowLoad, { what, smaller: bounds.smaller, isLoopback: env.isLoopback });
    }
  } catch (error) {
    const message = error instanceof GauntletError ? `${error.message} [${error.code}]` : internalError(kind, raw.id, error, env);
    const outcomes = completePlan(kind, spec, planContext(env), [], { status: 'errored', message, evidence: {} });
    const stableTitles = caseTitlesAsWritten(kind, raw, planContext(env));
    return outcomes.map((o) => toResult(withStableTitle(o, stableTitles), raw, title, base, performance.now() - start));
  }

  const notes: string[] = [];
  const quiet = recoveryMs === undefined ? undefined : env.quota?.waitBefore(recoveryMs);
  if (quiet) {
    env.onProgress(raw.id, `waiting ${formatDuration(quiet.ms)} for the target's quota to recover: ${quiet.reason}`);
    await sleep(quiet.ms, undefined, { signal: env.signal }).catch(() => undefined);
    if (env.signal.aborted) return notRunResult(kind, loaded, scenario, planContext(env));
    notes.push(`waited ${formatDuration(quiet.ms)} before starting, with no traffic to the target, for ${quiet.reason}`);
    // The check starts now: the wait is not part of its time.
    start = performance.now();
    base = resultBase(loaded, scenario);
  }

  // The check's own signal: the run's (SIGINT), or the watchdog's once the check runs past its bound.
  const watchdog = new AbortController();
  const signal = AbortSignal.any([env.signal, watchdog.signal]);
  // Bursts listen on it once per request in flight.
  setMaxListeners(0, signal);
  const http = env.http.forCheck(signal, bounds.requests, { progress: (message) => env.onProgress(raw.id, message) });
  const budget = http.requestBudget!;
  const ctx: CheckContext = {
    check: { id: raw.id, title, severity: raw.severity, source: loaded.source, tags: base.tags },
    profile: env.profile,
    http,
    vars,
    capture: (name, value) => {
      vars.set(name, value);
    },
    secrets: env.secrets,
    signal,
    options: { timeoutMs: env.timeoutMs, allowLoad: env.allowLoad, loadEngine: env.loadEngine },
    progress: (message) => env.onProgress(raw.id, message),
  };

  let outcomes: CheckOutcome[];
  try {
    // The harness's own waits for the check (429s, pace) are no fault of its kind: its bound grows by them.
    outcomes = await runWithin(() => kind.run(ctx, spec), watchdog, watchdogMs(bounds), () => budget.harnessMs);
    // Stopped by the watchdog: the cases it finished stand, the rest say why they have no verdict.
    if (watchdog.signal.aborted && !env.signal.aborted) outcomes = completePlan(kind, spec, planContext(env), outcomes.filter((o) => o.idSuffix !== undefined), overrun(bounds, budget.harnessMs, outcomes));
    // A check stopped by the interrupt may have nothing to show; it must still appear in every report.
    if (outcomes.length === 0) outcomes = completePlan(kind, spec, planContext(env), [], nothingReturned(env.signal.aborted));
  } catch (error) {
    if (error instanceof GauntletError && MISSING_FROM_PROFILE.has(error.code)) {
      // The profile does not describe what this check needs (e.g. --target without a profile): not run, not a failure.
      outcomes = completePlan(kind, spec, planContext(env), [], { status: 'skipped', message: `not run: ${error.message}`, evidence: {} });
    } else {
      const message = error instanceof GauntletError ? `${error.message} [${error.code}]` : internalError(kind, raw.id, error, env);
      outcomes = completePlan(kind, spec, planContext(env), [], { status: 'errored', message, evidence: {} });
    }
  }
  env.quota?.ended(raw.id, recoveryMs);
  if (budget.throttles.met > 0) outcomes = withThrottleNote(outcomes, budget.throttles);
  if (notes.length) outcomes = outcomes.map((o) => withNotes(o, notes));
  const durationMs = performance.now() - start;
  const stableTitles = caseTitlesAsWritten(kind, raw, planContext(env));
  return outcomes.map((outcome) => toResult(withStableTitle(outcome, stableTitles), raw, title, base, durationMs / outcomes.length));
}

/**
 * Each planned case's title from the scenario as written. A kind titles its cases from the spec it ran, where
 * `{{userId}}` is already a value; the same case planned from the raw spec keeps `{{userId}}` as written.
 */
function caseTitlesAsWritten(kind: CheckKind, raw: CheckSpecBase & Record<string, unknown>, context: BoundsContext): Map<string, string> {
  if (findVarRefs(raw).length === 0) return new Map();
  try {
    return new Map((kind.plannedCases?.(raw, context) ?? []).map((c) => [c.suffix, c.title]));
  } catch {
    return new Map();
  }
}

function withStableTitle(outcome: CheckOutcome, titles: Map<string, string>): CheckOutcome {
  const asWritten = outcome.idSuffix === undefined ? undefined : titles.get(outcome.idSuffix);
  return asWritten === undefined ? outcome : { ...outcome, title: asWritten };
}

/**
 * What a report says of an error that is a bug in gauntlet: its name and message only. A stack trace names the
 * tool's files and says nothing about the target; it goes to whoever asked for it (--verbose), never into a report.
 */
function internalError(kind: CheckKind, checkId: string, error: unknown, env: CheckRunEnv): string {
  env.onInternalError?.(checkId, error);
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `internal error in the ${kind.kind} check: ${what} (a bug in gauntlet: please report it; --verbose prints its stack trace)`;
}

/** Why a check that changes data on the target is not run by default. */
export const MUTATIONS_FORBIDDEN_REASON = 'changes data on the target: set mutations: allowed in the profile to run it';

/** The spec says so (`mutates: true`), or its kind does, from the spec. Unsure (a throwing kind) counts as yes. */
export function changesData(kind: CheckKind, spec: CheckSpecBase & Record<string, unknown>): boolean {
  if (spec.mutates === true) return true;
  try {
    return kind.mutates?.(spec) ?? false;
  } catch {
    return true;
  }
}

/** The reason a planned check that never started gives, in every report. */
export const INTERRUPTED_REASON = 'not run: the run was interrupted';

/**
 * A planned check that did not start (the run was interrupted first): each of its planned cases skipped with the
 * reason, so that every report still lists every planned case.
 */
export function notRunResult(kind: CheckKind, loaded: LoadedCheck, scenario: string, context: BoundsContext, reason = INTERRUPTED_REASON): CheckResult[] {
  const title = loaded.spec.title ?? safeTitle(kind, loaded.spec);
  const outcomes = completePlan(kind, loaded.spec, context, [], { status: 'skipped', message: reason, evidence: {} });
  return outcomes.map((o) => toResult(o, loaded.spec, title, resultBase(loaded, scenario), 0));
}

function planContext(env: CheckRunEnv): BoundsContext {
  return { timeoutMs: env.timeoutMs, profile: env.profile };
}

/**
 * The outcomes of a check with every planned case present, in the plan's order: a case the check did not report
 * takes `standIn` (why it has no verdict of its own). A kind without a plan reports `standIn` as its one result.
 */
export function completePlan(kind: CheckKind, spec: CheckSpecBase & Record<string, unknown>, context: BoundsContext, reported: CheckOutcome[], standIn: CheckOutcome): CheckOutcome[] {
  let planned: CaseInfo[] | undefined;
  try {
    planned = kind.plannedCases?.(spec, context);
  } catch {
    planned = undefined;
  }
  if (!planned?.length) return reported.length ? reported : [standIn];
  const bySuffix = new Map(reported.map((o) => [o.idSuffix, o]));
  const planOrder = planned.map((c) => bySuffix.get(c.suffix) ?? { ...standIn, idSuffix: c.suffix, title: c.title, severity: c.severity ?? standIn.severity });
  const unplanned = reported.filter((o) => !planned.some((c) => c.suffix === o.idSuffix));
  return [...planOrder, ...unplanned];
}

function resultBase(loaded: LoadedCheck, scenario: string) {
  const raw = loaded.spec;
  return { kind: raw.kind, scenario, severity: raw.severity, tags: raw.tags ?? [], source: loaded.source, startedAt: new Date().toISOString() };
}

function nothingReturned(interrupted: boolean): CheckOutcome {
  return interrupted
    ? { status: 'errored', message: 'interrupted before it had a result [E_INTERRUPTED]', evidence: {} }
    : { status: 'errored', message: 'the check returned no result: this is a bug in its kind, please report it', evidence: {} };
}

/**
 * Runs a check under a watchdog: past `limitMs` (plus `extraMs()`, the harness's waits so far) its signal is
 * aborted (its requests stop at once), and if it has not returned ABANDON_AFTER_MS later it is left behind.
 * Returns no outcomes in that case.
 */
async function runWithin(run: () => Promise<CheckOutcome[]>, watchdog: AbortController, limitMs: number, extraMs: () => number): Promise<CheckOutcome[]> {
  let timer: NodeJS.Timeout | undefined;
  const start = performance.now();
  const abandoned = new Promise<CheckOutcome[]>((resolve) => {
    const arm = (ms: number) => {
      timer = setTimeout(() => {
        const left = start + limitMs + extraMs() - performance.now();
        if (left >= 1) return arm(left);
        watchdog.abort(new Error('the check ran past its time bound'));
        timer = setTimeout(() => resolve([]), ABANDON_AFTER_MS);
      }, ms);
    };
    arm(limitMs);
  });
  const running = run();
  // A check left behind may still fail later: that must not become an unhandled rejection.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, abandoned]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a check stopped by the watchdog reports: errored, naming its bound, with the cases it had finished. */
function overrun(bounds: CheckBounds, harnessMs: number, partial: CheckOutcome[]): CheckOutcome {
  const finished = partial.map((o) => `${o.idSuffix ?? 'check'}: ${o.status}`);
  const harness = harnessMs > 0 ? `, grown by the ${formatDuration(harnessMs)} gauntlet waited for it (pace, 429s)` : '';
  return {
    status: 'errored',
    message: `stopped: it ran past its time bound of ${formatDuration(bounds.durationMs)} (${bounds.requests} requests at their deadline, plus its own waits${harness}). This is a bug in its kind: please report it`,
    evidence: { notes: finished.length ? [`when stopped: ${finished.join(', ')}`] : ['it had returned nothing when stopped'] },
  };
}

/** Where a result is filed (OWASP category, CWE), from its kind and case, or the scenario's `owasp:` and `cwe:`. */
function filed(spec: CheckSpecBase, caseSuffix?: string): Pick<CheckResult, 'taxonomy'> {
  const taxonomy = taxonomyOf(spec.kind, caseSuffix, { owasp: spec.owasp, cwe: spec.cwe });
  return taxonomy ? { taxonomy } : {};
}

/**
 * What to change, attached by the runner like the filing: the table lives beside the kinds (a new case adds its
 * line there), reporters read it off the result, and a saved run keeps the text it was judged with.
 */
function remedied(kind: string, caseSuffix: string | undefined): Pick<CheckResult, 'remediation'> {
  const remediation = remediationOf(kind, caseSuffix);
  return remediation ? { remediation } : {};
}

function toResult(
  outcome: CheckOutcome,
  spec: CheckSpecBase,
  title: string,
  base: Omit<CheckResult, 'id' | 'title' | 'status' | 'message' | 'evidence' | 'durationMs'> & { source: SourceLocation },
  durationMs: number,
): CheckResult {
  return {
    ...base,
    id: outcome.idSuffix ? `${spec.id}.${outcome.idSuffix}` : spec.id,
    case: outcome.idSuffix,
    title: outcome.title ?? title,
    ...filed(spec, outcome.idSuffix),
    ...(outcome.status === 'failed' ? remedied(spec.kind, outcome.idSuffix) : {}),
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
