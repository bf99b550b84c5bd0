import type { LoadEngine } from '../engine/load-engine.js';
import type { Baseline } from '../baseline/baseline.js';
import { setMaxListeners } from 'node:events';
import { kindByName } from '../checks/index.js';
import type { CheckKind } from '../checks/types.js';
import { HttpClient } from '../engine/http-client.js';
import { DEFAULT_BODY_CAP_BYTES } from '../engine/send.js';
import type { Reporter, RunPlan } from '../report/reporter.js';
import { RUN_FORMAT_VERSION, type CheckResult, type RunResult, type RunTrust, type ScenarioResult, type Severity } from '../results/model.js';
import type { SecretRegistry } from '../results/secrets.js';
import { reproduceContext } from '../results/reproduce/context.js';
import { reproductionOf, type ReproduceContext } from '../results/reproduce/reproduction.js';
import { allChecks, computeTotals, computeVerdict } from '../results/verdict.js';
import { displayPath } from '../scenario/files.js';
import type { LoadedCheck, LoadedScenario, TargetProfile } from '../scenario/types.js';
import { packageVersion } from '../util/package-root.js';
import { ExclusiveGate } from './gate.js';
import { QuotaSpacing } from './quota-spacing.js';
import { INTERRUPTED_REASON, notRunResult, runCheck } from './run-check.js';
import { ReachabilityWatch } from './reachability.js';
import { NOTHING_THERE, unreachableReason } from '../results/unreachable.js';
import { selectedResults } from './select.js';

export interface RunOptions {
  profile: TargetProfile;
  scenarios: LoadedScenario[];
  failOn: Severity;
  only?: string[];
  tags?: string[];
  shard?: string;
  timeoutMs: number;
  concurrency: number;
  bodyCapBytes?: number;
  /** --var values; they override scenario and profile variables. */
  vars: Record<string, string>;
  secrets: SecretRegistry;
  reporters: Reporter[];
  signal?: AbortSignal;
  /** A run whose every check was skipped passes (default: exit 2, nothing was checked). */
  allowEmpty?: boolean;
  allowLoad: boolean;
  /** Who generates load checks' load: this process (default), one segment of it, or a coordinator's workers. */
  loadEngine?: LoadEngine;
  /** This run is segment i/N of every load check (run --segment): recorded, so report merge can combine them. */
  segment?: string;
  /** Which hosts count as loopback for the load guard (default: 127.0.0.0/8, ::1, localhost). */
  isLoopback?: (hostname: string) => boolean;
  /** Told of each internal error in a check (a bug), with the error itself. */
  onInternalError?(checkId: string, error: unknown): void;
  /** Accepted findings: marked suppressed before any reporter sees them, and judged (expired, stale) at the end. */
  baseline?: Baseline;
  /** How the target's certificate is trusted, when not as usual (--insecure, --cacert): every report says so. */
  trust?: RunTrust;
}

/**
 * A failed check with the curl commands that send its requests again, built from the redacted result. Redacting the
 * commands once more costs little and holds even if a placeholder were ever built wrong.
 */
function withReproduction(check: CheckResult, context: ReproduceContext, secrets: SecretRegistry): CheckResult {
  const reproduction = reproductionOf(check, context);
  return reproduction ? { ...check, reproduce: secrets.redact(reproduction) } : check;
}

/** Some checks of one scenario, run in order. */
interface Part {
  index: number;
  checks: LoadedCheck[];
}

function spendsQuota(kind: CheckKind | undefined): boolean {
  return kind?.quotaRecoveryMs !== undefined;
}

/** Each scenario's checks before its first quota-spending check, and the rest (the non-empty parts). */
function splitAtQuota(scenarios: LoadedScenario[]): [Part[], Part[]] {
  const first: Part[] = [];
  const second: Part[] = [];
  scenarios.forEach((scenario, index) => {
    const found = scenario.checks.findIndex((c) => spendsQuota(kindByName(c.spec.kind)));
    const cut = found === -1 ? scenario.checks.length : found;
    if (cut > 0) first.push({ index, checks: scenario.checks.slice(0, cut) });
    if (cut < scenario.checks.length) second.push({ index, checks: scenario.checks.slice(cut) });
  });
  return [first, second];
}

/**
 * What a check cut short by the unreachable stop keeps: its evidence (the refused request, for the check that met
 * it) and, when it met the failure itself, its own words about it (`preflight failed, no load sent`) as a note.
 */
function evidenceBeforeStop(result: CheckResult): CheckResult['evidence'] {
  if (!result.transport || !NOTHING_THERE.has(result.transport)) return result.evidence;
  return { ...result.evidence, notes: [...(result.evidence.notes ?? []), `its own result before the stop: ${result.message}`] };
}

/** Runs `task` on each item, `width` at a time, starting none once the run is interrupted. */
async function inPool<T>(items: T[], width: number, signal: AbortSignal, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(width, items.length)) }, async () => {
    while (next < items.length && !signal.aborted) await task(items[next++]!);
  });
  await Promise.all(workers);
}

/**
 * Runs the selected scenarios: up to `concurrency` scenarios at once, the checks of one scenario in order
 * (later checks may use earlier captures), exclusive kinds alone, quota-spending kinds (rate-limit, load) after
 * all others and spaced by their recovery times. Results are redacted before any reporter sees them.
 */
export async function runScenarios(options: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const signal = options.signal ?? new AbortController().signal;
  // A target with nothing there (refused, no such host) before any answer stops every check at once: each then
  // reports the one reason, instead of meeting the same refusal on its own. Not an interrupt: the run completes.
  const unreachableStop = new AbortController();
  const checkSignal = AbortSignal.any([signal, unreachableStop.signal]);
  setMaxListeners(0, checkSignal);
  const reachability = new ReachabilityWatch(options.profile.baseUrl, () => unreachableStop.abort());
  const unreachableOutcome = () => {
    const failure = reachability.unreachable;
    return failure ? { status: 'errored' as const, message: unreachableReason(failure), transport: failure.class, evidence: {} } : undefined;
  };
  const http = new HttpClient(options.profile, {
    timeoutMs: options.timeoutMs,
    bodyCapBytes: options.bodyCapBytes ?? DEFAULT_BODY_CAP_BYTES,
    signal: checkSignal,
    onExchange: (url, exchange) => reachability.observe(url, exchange),
  }, options.secrets);
  const plan: RunPlan = {
    target: options.profile.baseUrl,
    scenarios: options.scenarios.map((s) => ({ name: s.name, file: s.file, checks: s.checks.length })),
    totalChecks: options.scenarios.reduce((n, s) => n + s.checks.length, 0),
    ...(options.trust ? { trust: options.trust } : {}),
  };
  for (const r of options.reporters) r.onRunStart?.(plan);

  const gate = new ExclusiveGate();
  const results: ScenarioResult[] = options.scenarios.map((s) => ({
    name: s.name,
    file: s.file,
    description: s.description,
    tags: s.tags,
    checks: [],
    durationMs: 0,
  }));

  const started = new Set<LoadedCheck>();
  /** A result the unreachable stop cut short (the check in flight when it came): it gives the run's one reason. */
  const stoppedByUnreachable = (result: CheckResult) =>
    reachability.unreachable !== undefined && !signal.aborted && (result.status === 'errored' || (result.status === 'skipped' && result.message === INTERRUPTED_REASON));

  const reproduce = reproduceContext({
    keys: options.profile.keys,
    identities: new Map([...options.profile.tls.identities].map(([name, id]) => [name, { certPath: displayPath(id.certPath), keyPath: displayPath(id.keyPath) }])),
    caPath: options.profile.tls.caPath === undefined ? undefined : displayPath(options.profile.tls.caPath),
  });
  const report = (result: ScenarioResult, outcome: CheckResult) => {
    const stopped = stoppedByUnreachable(outcome) ? unreachableOutcome()! : undefined;
    const checkResult: CheckResult = stopped ? { ...outcome, ...stopped, evidence: evidenceBeforeStop(outcome) } : outcome;
    const redacted = withReproduction(options.secrets.redact(checkResult) as CheckResult, reproduce, options.secrets);
    const shown = options.baseline ? options.baseline.suppress(redacted) : redacted;
    result.checks.push(shown);
    for (const r of options.reporters) r.onCheckEnd?.(shown);
  };

  const quota = new QuotaSpacing();
  const planContext = { timeoutMs: options.timeoutMs, profile: options.profile };
  const vars = options.scenarios.map((s) => new Map<string, unknown>(Object.entries({ ...options.profile.vars, ...s.vars, ...options.vars })));

  /** Runs some of a scenario's checks, in order, with its variables and captures. */
  const runChecks = async ({ index, checks }: Part) => {
    const scenario = options.scenarios[index]!;
    const result = results[index]!;
    const start = performance.now();
    for (const loaded of checks) {
      if (signal.aborted) break;
      started.add(loaded);
      const kind = kindByName(loaded.spec.kind)!;
      // A quota check waits for the target to recover with the gate held, so nothing spends the quota meanwhile.
      const exclusive = (Boolean(kind.exclusive) || spendsQuota(kind)) && !loaded.spec.skip;
      for (const r of options.reporters) r.onCheckStart?.({ id: loaded.spec.id, title: loaded.spec.title ?? loaded.spec.id, scenario: scenario.name });
      const checkResults = await gate.run(exclusive, async () =>
        // Interrupted while it waited for its turn: it never started.
        signal.aborted
          ? notRunResult(kind, loaded, scenario.name, planContext)
          : runCheck(kind, loaded, scenario.name, vars[index]!, {
              profile: options.profile,
              http,
              secrets: options.secrets,
              signal: checkSignal,
              timeoutMs: options.timeoutMs,
              allowLoad: options.allowLoad,
              loadEngine: options.loadEngine,
              isLoopback: options.isLoopback,
              quota,
              onInternalError: options.onInternalError,
              unreachable: unreachableOutcome,
              onProgress: (id, message) => {
                for (const r of options.reporters) r.onProgress?.(id, options.secrets.redactString(message));
              },
            }),
      );
      for (const checkResult of selectedResults(loaded, checkResults)) report(result, checkResult);
    }
    result.durationMs += performance.now() - start;
  };

  try {
    // Rate-limit and load checks measure the target's quota, so they run after every other check: no ordinary
    // traffic spends it meanwhile. A scenario keeps its order (and its captures): from its first such check on, it
    // runs in the second part.
    const [ordinary, quotaSpending] = splitAtQuota(options.scenarios);
    await inPool(ordinary, options.concurrency, signal, runChecks);
    await inPool(quotaSpending, options.concurrency, signal, runChecks);
  } finally {
    await http.close();
  }
  // Nothing vanishes: the checks an interrupt kept from starting are reported as not run, so every report's count
  // is the plan's. They are the tail of their scenario, as a scenario's checks start in order.
  options.scenarios.forEach((scenario, index) => {
    for (const loaded of scenario.checks) {
      if (!started.has(loaded)) for (const notRun of selectedResults(loaded, notRunResult(kindByName(loaded.spec.kind)!, loaded, scenario.name, planContext))) report(results[index]!, notRun);
    }
  });

  const finishedAt = new Date();
  const checks = allChecks(results);
  const ranCheckIds = new Set(options.scenarios.flatMap((s) => s.checks.map((c) => c.spec.id)));
  const baseline = options.baseline?.summarize(checks, ranCheckIds, signal.aborted);
  return {
    formatVersion: RUN_FORMAT_VERSION,
    tool: { name: 'gauntlet', version: packageVersion() },
    target: { url: options.profile.baseUrl, profile: options.profile.file },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    options: { failOn: options.failOn, only: options.only, tags: options.tags, shard: options.shard, segment: options.segment, allowEmpty: options.allowEmpty },
    interrupted: signal.aborted,
    scenarios: results,
    totals: computeTotals(checks),
    verdict: computeVerdict(checks, options.failOn, signal.aborted, baseline?.problems, options.allowEmpty),
    ...(baseline ? { baseline } : {}),
    ...(options.trust ? { trust: options.trust } : {}),
  };
}
