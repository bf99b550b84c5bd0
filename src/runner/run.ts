import { kindByName } from '../checks/index.js';
import { HttpClient } from '../engine/http-client.js';
import { DEFAULT_BODY_CAP_BYTES } from '../engine/send.js';
import type { Reporter, RunPlan } from '../report/reporter.js';
import { RUN_FORMAT_VERSION, type CheckResult, type RunResult, type ScenarioResult, type Severity } from '../results/model.js';
import type { SecretRegistry } from '../results/secrets.js';
import { allChecks, computeTotals, computeVerdict } from '../results/verdict.js';
import type { LoadedCheck, LoadedScenario, TargetProfile } from '../scenario/types.js';
import { packageVersion } from '../util/package-root.js';
import { ExclusiveGate } from './gate.js';
import { notRunResult, runCheck } from './run-check.js';

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
}

/**
 * Runs the selected scenarios: up to `concurrency` scenarios at once, the checks of one scenario in order
 * (later checks may use earlier captures), exclusive kinds alone. Results are redacted before any reporter
 * sees them.
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

  const runScenario = async (index: number) => {
    const scenario = options.scenarios[index]!;
    const result = results[index]!;
    const start = performance.now();
    const vars = new Map<string, unknown>(Object.entries({ ...options.profile.vars, ...scenario.vars, ...options.vars }));
    for (const loaded of scenario.checks) {
      if (signal.aborted) break;
      started.add(loaded);
      const kind = kindByName(loaded.spec.kind)!;
      for (const r of options.reporters) r.onCheckStart?.({ id: loaded.spec.id, title: loaded.spec.title ?? loaded.spec.id, scenario: scenario.name });
      const checkResults = await gate.run(Boolean(kind.exclusive) && !loaded.spec.skip, async () =>
        // Interrupted while it waited for its turn: it never started.
        signal.aborted
          ? [notRunResult(kind, loaded, scenario.name)]
          : runCheck(kind, loaded, scenario.name, vars, {
              profile: options.profile,
              http,
              secrets: options.secrets,
              signal,
              timeoutMs: options.timeoutMs,
              allowLoad: options.allowLoad,
              isLoopback: options.isLoopback,
              onProgress: (id, message) => {
                for (const r of options.reporters) r.onProgress?.(id, options.secrets.redactString(message));
              },
            }),
      );
      for (const checkResult of checkResults) report(result, checkResult);
    }
    result.durationMs = performance.now() - start;
  };

  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, options.scenarios.length)) }, async () => {
    while (next < options.scenarios.length && !signal.aborted) await runScenario(next++);
  });
  try {
    await Promise.all(workers);
  } finally {
    await http.close();
  }
  // Nothing vanishes: the checks an interrupt kept from starting are reported as not run, so every report's count
  // is the plan's. They are the tail of their scenario, as a scenario's checks start in order.
  options.scenarios.forEach((scenario, index) => {
    for (const loaded of scenario.checks) {
      if (!started.has(loaded)) report(results[index]!, notRunResult(kindByName(loaded.spec.kind)!, loaded, scenario.name));
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
