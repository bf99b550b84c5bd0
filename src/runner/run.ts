import { kindByName } from '../checks/index.js';
import type { CheckKind } from '../checks/types.js';
import { HttpClient } from '../engine/http-client.js';
import { DEFAULT_BODY_CAP_BYTES } from '../engine/send.js';
import type { Reporter, RunPlan } from '../report/reporter.js';
import { RUN_FORMAT_VERSION, type CheckResult, type RunResult, type ScenarioResult, type Severity } from '../results/model.js';
import type { SecretRegistry } from '../results/secrets.js';
import { allChecks, computeTotals, computeVerdict } from '../results/verdict.js';
import type { LoadedCheck, LoadedScenario, TargetProfile } from '../scenario/types.js';
import { packageVersion } from '../util/package-root.js';
import { ExclusiveGate } from './gate.js';
import { QuotaSpacing } from './quota-spacing.js';
import { notRunResult, runCheck } from './run-check.js';
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
  allowLoad: boolean;
  /** Which hosts count as loopback for the load guard (default: 127.0.0.0/8, ::1, localhost). */
  isLoopback?: (hostname: string) => boolean;
  /** Told of each internal error in a check (a bug), with the error itself. */
  onInternalError?(checkId: string, error: unknown): void;
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
  const http = new HttpClient(options.profile, {
    timeoutMs: options.timeoutMs,
    bodyCapBytes: options.bodyCapBytes ?? DEFAULT_BODY_CAP_BYTES,
    signal,
  }, options.secrets);
  const plan: RunPlan = {
    target: options.profile.baseUrl,
    scenarios: options.scenarios.map((s) => ({ name: s.name, file: s.file, checks: s.checks.length })),
    totalChecks: options.scenarios.reduce((n, s) => n + s.checks.length, 0),
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
  const report = (result: ScenarioResult, checkResult: CheckResult) => {
    const redacted = options.secrets.redact(checkResult) as CheckResult;
    result.checks.push(redacted);
    for (const r of options.reporters) r.onCheckEnd?.(redacted);
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
              signal,
              timeoutMs: options.timeoutMs,
              allowLoad: options.allowLoad,
              isLoopback: options.isLoopback,
              quota,
              onInternalError: options.onInternalError,
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
  return {
    formatVersion: RUN_FORMAT_VERSION,
    tool: { name: 'gauntlet', version: packageVersion() },
    target: { url: options.profile.baseUrl, profile: options.profile.file },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    options: { failOn: options.failOn, only: options.only, tags: options.tags, shard: options.shard },
    interrupted: signal.aborted,
    scenarios: results,
    totals: computeTotals(checks),
    verdict: computeVerdict(checks, options.failOn, signal.aborted),
  };
}
