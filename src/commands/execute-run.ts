import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { baselineAccount } from '../baseline/account.js';
import { openBaseline } from '../baseline/open-baseline.js';
import { assertBaselineWritable, writeBaseline } from '../baseline/write-baseline.js';
import { CHECK_KINDS } from '../checks/index.js';
import { createReporters } from '../report/create-reporters.js';
import { assertWritableOutputDir } from '../report/output-dir.js';
import { assertReportDestinations, STDOUT_DIR, streamsToStdout, writesFiles } from '../report/report-destinations.js';
import type { RunResult, Severity } from '../results/model.js';
import { SecretRegistry } from '../results/secrets.js';
import { planRun } from '../runner/plan.js';
import { selectChecks } from '../runner/select.js';
import { formatShard, shardScenarios, type Shard } from '../runner/shard.js';
import { runScenarios } from '../runner/run.js';
import { segmentScenarios } from '../runner/segment-selection.js';
import type { Coordinator } from '../distributed/coordinator.js';
import { startCoordinator, type DistributedOptions } from '../distributed/start-coordinator.js';
import { LocalLoadEngine } from '../engine/load-engine.js';
import { formatSegment, type Segment } from '../engine/load-segment.js';
import { formatNote } from '../scenario/diagnostics.js';
import { loadScenarios } from '../scenario/load-scenarios.js';
import { computeCoverage } from '../openapi/coverage.js';
import { loadApi } from '../openapi/load-document.js';
import { loadProfile, profileFromTarget, validateTargetUrl } from '../scenario/load-profile.js';
import type { TargetProfile } from '../scenario/types.js';
import { withTrustOptions } from '../scenario/trust-options.js';
import { interruptedVerdict } from '../results/verdict.js';
import { EXIT, GauntletError } from '../util/errors.js';
import { exitCodeFor, onStopSignals, type StopSignal } from '../util/stop-signals.js';
import type { CommandIO } from './io.js';
import { nothingSelected } from './nothing-selected.js';
import { planDetail, planList } from './print-plan.js';

/** --list (the ids, one per line) or --dry-run (the detailed plan): print what the run would do, send nothing. */
export type PlanMode = 'list' | 'dry-run';

export interface RunRequest {
  paths: string[];
  target?: string;
  profilePath?: string;
  /** A profile built in code (the demo), instead of a file. */
  profile?: TargetProfile;
  secrets?: SecretRegistry;
  reporters: string[];
  outputDir: string;
  failOn: Severity;
  only: string[];
  tags: string[];
  timeoutMs?: number;
  concurrency: number;
  vars: Record<string, string>;
  allowLoad: boolean;
  maxBodyBytes?: number;
  shard?: Shard;
  /** Run segment i/N of every load check (and, in segment 1, every other check); merge with report merge. */
  segment?: Segment;
  /** Generate load checks' load on workers: local processes, or workers joining through a coordination Redis. */
  distributed?: DistributedOptions;
  /** An OpenAPI document: the report says which of its operations the run reached. */
  openapi?: string;
  /** Accept a run in which every selected check was skipped. */
  allowEmpty?: boolean;
  /** Accepted findings (YAML): suppressed in every report, judged for expiry and staleness. */
  baselinePath?: string;
  /** Where to write the run's findings as a starting baseline. */
  writeBaselinePath?: string;
  /** --cacert: a CA file to verify the target with, as the profile's tls.ca. */
  cacert?: string;
  /** --insecure: do not verify the target's certificate (every report says so, loudly). */
  insecure?: boolean;
  verbose?: boolean;
  /** Print the plan instead of running it. */
  plan?: PlanMode;
  io: CommandIO;
}

export function resolveProfile(request: Pick<RunRequest, 'target' | 'profilePath' | 'profile'>, secrets: SecretRegistry): TargetProfile {
  if (request.profile) return request.profile;
  if (request.profilePath) return loadProfile(request.profilePath, { kinds: CHECK_KINDS, secrets, target: request.target });
  if (request.target) {
    const problem = validateTargetUrl(request.target);
    if (problem) throw new GauntletError('E_USAGE', `--target: ${problem}`);
    return profileFromTarget(request.target);
  }
  throw new GauntletError('E_USAGE', 'no target: pass --target <url> or --profile <file>');
}

/**
 * Identity and key names are checked at load time against a profile that describes some (a file, or the demo's);
 * a bare --target describes none, and the checks that need one are skipped when they run, with the reason.
 */
/**
 * The scenario paths of a run: as given, or, when the default scenarios/ folder does not exist here, the built-in
 * scenarios that ship with gauntlet (each skipped when the profile does not say what it needs).
 */
export function scenarioPaths(paths: string[], io: CommandIO): string[] {
  if (paths.length !== 1 || paths[0] !== 'scenarios' || existsSync(resolve('scenarios'))) return paths;
  const builtIn = join(packageRoot(), 'scenarios');
  io.stderr.write(`no scenarios/ folder here: running the built-in scenarios (${builtIn})\n`);
  return [builtIn];
}

export function profileForNames(profile: TargetProfile): TargetProfile | undefined {
  const describes = profile.file !== undefined || profile.keys.size > 0 || profile.tls.identities.size > 0;
  return describes ? profile : undefined;
}

/** An internal error's stack trace, for stderr under --verbose: redacted like everything else gauntlet prints. */
function internalErrorTrace(checkId: string, error: unknown, secrets: SecretRegistry): string {
  const trace = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return `internal error in ${checkId} (a bug in gauntlet: please report it with this trace):\n${secrets.redactString(trace)}\n`;
}

/** Writes the run's findings as a baseline, unless the run was cut short; says what it did. */
function writeRunBaseline(path: string, run: RunResult, secrets: SecretRegistry): string {
  if (run.interrupted) return `no baseline written to ${path}: the run was interrupted, so its findings are not all known`;
  const entries = writeBaseline(path, run, secrets);
  const placeholders = run.scenarios.flatMap((s) => s.checks).some((c) => c.status === 'failed' && !c.suppressed);
  return `wrote baseline ${path} (${entries} entr${entries === 1 ? 'y' : 'ies'})${placeholders ? ': replace each placeholder reason with why the finding is accepted before using it' : ''}`;
}

function interruptNotice(signal: StopSignal): string {
  if (signal === 'SIGINT') return 'interrupted: stopping checks and writing a partial report (Ctrl-C again to quit now)';
  return `interrupted by ${signal}: stopping checks and writing a partial report (a second signal quits now)`;
}

/**
 * The whole run: profile, scenarios (all problems reported before anything is sent), selection, checks,
 * reports. Returns the exit code. SIGINT, SIGTERM or SIGHUP stops the run and still writes the partial report.
 */
export async function executeRun(request: RunRequest): Promise<number> {
  assertReportDestinations(request.reporters, request.outputDir);
  const secrets = request.secrets ?? new SecretRegistry();
  const { profile, trust } = withTrustOptions(resolveProfile(request, secrets), { cacert: request.cacert, insecure: request.insecure });
  // A profile among the scenarios is noted when the run has its own (-p), and stops a run that has none.
  const loaded = loadScenarios(scenarioPaths(request.paths, request.io), {
    kinds: CHECK_KINDS,
    profile: profileForNames(profile),
    vars: request.vars,
    profileFile: request.profilePath,
    otherProfiles: request.profilePath ? 'skip' : 'error',
    // A check that does not fit the profile says so when it is skipped: the load-time note is for validate.
    onNote: (note) => note.code !== 'N_DOES_NOT_FIT' && request.io.stderr.write(`${formatNote(note)}\n`),
  });
  const timeoutMs = request.timeoutMs ?? profile.timeouts.requestMs;
  // Before selection: a baseline may name any check of the scenarios, and only those of no scenario are stale.
  const baseline = request.baselinePath ? openBaseline(request.baselinePath, loaded, CHECK_KINDS, { timeoutMs, profile }) : undefined;
  if (request.writeBaselinePath) assertBaselineWritable(request.writeBaselinePath, request.baselinePath);
  const selected = selectChecks(loaded, { only: request.only, tags: request.tags }, { timeoutMs, profile }, CHECK_KINDS);
  if (selected.length === 0) throw nothingSelected(loaded, request, { timeoutMs, profile });
  if (request.plan) {
    const plan = planRun(selected, { profile, timeoutMs, vars: request.vars, allowLoad: request.allowLoad || profile.allowLoad, kinds: CHECK_KINDS });
    request.io.stdout.write(request.plan === 'list' ? planList(plan) : planDetail(plan));
    return EXIT.ok;
  }
  // A document that cannot be read stops the run here, before anything is sent.
  const api = request.openapi ? (await loadApi(request.openapi)).model : undefined;
  // A shard may legitimately be empty (more shards than checks): it then writes an empty, passing report.
  const sharded = request.shard ? shardScenarios(selected, request.shard, CHECK_KINDS) : selected;
  const scenarios = request.segment ? segmentScenarios(sharded, request.segment, CHECK_KINDS) : sharded;
  const outputDir = streamsToStdout(request.outputDir) ? STDOUT_DIR : resolve(request.outputDir);
  if (writesFiles(request.reporters, outputDir)) assertWritableOutputDir(outputDir, 'no report could be written there, so nothing was sent');
  const reporters = createReporters(request.reporters, { outputDir, stdout: request.io.stdout, stderr: request.io.stderr, verbose: request.verbose });

  const controller = new AbortController();
  // Every request in flight listens for the interrupt; bursts put hundreds in flight at once.
  setMaxListeners(0, controller.signal);
  let stoppedBy: StopSignal | undefined;
  const removeStopHandler = onStopSignals((signal) => {
    stoppedBy = signal;
    request.io.stderr.write(`\n${interruptNotice(signal)}\n`);
    controller.abort();
  });
  let coordinator: Coordinator | undefined;
  try {
    if (request.distributed) {
      try {
        coordinator = await startCoordinator(request.distributed, { profile, secrets, signal: controller.signal, say: (line) => request.io.stderr.write(`${secrets.redactString(line)}\n`) });
      } catch (error) {
        // Stopped while waiting for workers: nothing was sent, so there is no report to write.
        if (stoppedBy) return exitCodeFor(stoppedBy);
        throw error;
      }
    }
    const run = await runScenarios({
      profile,
      scenarios,
      failOn: request.failOn,
      only: request.only.length ? request.only : undefined,
      tags: request.tags.length ? request.tags : undefined,
      shard: request.shard ? formatShard(request.shard) : undefined,
      segment: request.segment ? formatSegment(request.segment) : undefined,
      loadEngine: coordinator ?? (request.segment ? new LocalLoadEngine({ segment: request.segment }) : undefined),
      timeoutMs,
      concurrency: request.concurrency,
      bodyCapBytes: request.maxBodyBytes,
      vars: request.vars,
      secrets,
      reporters,
      signal: controller.signal,
      allowLoad: request.allowLoad || profile.allowLoad,
      // An empty shard (more shards than checks) checks nothing on purpose; a segment's load is judged when merged.
      allowEmpty: request.allowEmpty || request.shard !== undefined || request.segment !== undefined,
      trust,
      onInternalError: request.verbose ? (id, error) => request.io.stderr.write(internalErrorTrace(id, error, secrets)) : undefined,
      baseline,
    });
    // The runner knows only that the run was cut short; the exit code and the report's verdict name the signal.
    if (run.interrupted && stoppedBy) run.verdict = interruptedVerdict(stoppedBy);
    if (api) run.coverage = computeCoverage(api, run, request.openapi!);
    if (run.baseline) request.io.stderr.write(`${baselineAccount(run.baseline, run.scenarios.flatMap((s) => s.checks))}\n`);
    for (const reporter of reporters) {
      const written = await reporter.onRunEnd?.(run);
      for (const file of written ?? []) request.io.stderr.write(`wrote ${file}\n`);
    }
    if (request.writeBaselinePath) request.io.stderr.write(`${writeRunBaseline(request.writeBaselinePath, run, secrets)}\n`);
    return run.verdict.exitCode;
  } finally {
    await coordinator?.close();
    removeStopHandler();
  }
}
