import { declaredLimit, type DeclaredLimit } from './declared-limit.js';
import { assertLoadAllowed } from '../../engine/load-guard.js';
import { LOAD_LIMITS, loadDeadlineMs, runLoad } from '../../engine/load-runner.js';
import type { AssertionResult, Exchange } from '../../results/model.js';
import { parseDuration } from '../../util/duration.js';
import { deadlineOf } from '../bounds.js';
import { transportErrored } from '../outcomes.js';
import { countsText } from '../tally.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome } from '../types.js';
import { classifier, latencyChart, summarise, timeline, type LoadSummary } from './metrics.js';
import { loadProperties, type LatencyThresholds, type LoadSpec } from './spec.js';

const DEFAULT_DURATION_MS = 5000;

/** The run's length: its duration, else (with only an amount) the longest a run may last, else 5 s. */
function durationOf(spec: LoadSpec): number {
  const ms = spec.load.duration !== undefined ? parseDuration(spec.load.duration)! : spec.load.amount !== undefined ? LOAD_LIMITS.maxDurationMs : DEFAULT_DURATION_MS;
  return Math.min(ms, LOAD_LIMITS.maxDurationMs);
}
/** Whether an answer is bigger than the body cap (by its content-length, or by what was read before the cap). */
function oversizedAnswer(exchange: Exchange, capBytes: number): string | undefined {
  const declared = Number(exchange.response?.headers['content-length'] ?? 0);
  if (declared > capBytes) return `declares ${declared} bytes, more than the body cap of ${capBytes}`;
  if (exchange.response?.bodyCapped) return `was cut at the body cap of ${capBytes} bytes`;
  return undefined;
}

/** Without thresholds a load run still has to be clean: few transport errors and few unexpected statuses. */
const DEFAULT_EXPECT: NonNullable<LoadSpec['expect']> = { errorShare: { max: 0.01 }, otherNon2xxShare: { max: 0.01 } };

function tolerance(value: number | string | undefined, target: number): number {
  if (value === undefined) return target * 0.1;
  if (typeof value === 'string') return (Number(value.replace('%', '')) / 100) * target;
  return value * target;
}

function latencyAssertions(group: 'admitted' | 'refused', limits: LatencyThresholds | undefined, summary: LoadSummary): AssertionResult[] {
  return Object.entries(limits ?? {}).map(([p, limit]) => {
    const max = parseDuration(limit as string | number)!;
    const actual = summary.latencyMs[group][p];
    return {
      name: `${group} latency ${p}`,
      passed: actual !== undefined && actual <= max,
      expected: `<= ${max}ms`,
      actual: actual === undefined ? `no ${group} responses` : `${actual.toFixed(2)}ms`,
    };
  });
}

function shareAssertion(name: string, count: number, total: number, bounds: { min?: number; max?: number }): AssertionResult[] {
  const share = total ? count / total : 0;
  const shown = `${(share * 100).toFixed(1)}% (${count} of ${total})`;
  const out: AssertionResult[] = [];
  if (bounds.min !== undefined) out.push({ name: `${name} share`, passed: share >= bounds.min, expected: `>= ${(bounds.min * 100).toFixed(1)}%`, actual: shown });
  if (bounds.max !== undefined) out.push({ name: `${name} share`, passed: share <= bounds.max, expected: `<= ${(bounds.max * 100).toFixed(1)}%`, actual: shown });
  return out;
}

export const loadKind: CheckKind<LoadSpec> = {
  kind: 'load',
  description: 'Sustained load through autocannon; thresholds on admitted rate, refusals, errors and latency.',
  properties: loadProperties,
  required: ['request', 'load'],
  exclusive: true,

  defaultTitle(spec) {
    const l = spec.load;
    const size = l.amount !== undefined ? `${l.amount} requests` : `${l.duration ?? '5s'}`;
    return `${(spec.request.method ?? 'GET').toUpperCase()} ${spec.request.path ?? '/'} holds up under ${size} of load${l.rate ? ` at ${l.rate}/s` : ''}`;
  },

  // The preflight, then the load run: bounded by its amount or its duration at its rate (connections x pipelining
  // in flight), and stopped by our own deadline after the duration and one more request deadline.
  bounds(spec, context) {
    const deadline = deadlineOf(spec.request.timeout, context);
    const durationMs = durationOf(spec);
    const byRate = spec.load.rate === undefined ? Number.POSITIVE_INFINITY : Math.ceil((spec.load.rate * durationMs) / 1000);
    return { requests: 1 + Math.min(spec.load.amount ?? byRate, byRate, LOAD_LIMITS.maxAmount), concurrent: true, durationMs: deadline + loadDeadlineMs(durationMs, deadline) };
  },

  // A load run can spend the declared limit for two of its windows (as a rate-limit policy's default recovery).
  quotaRecoveryMs: (spec, context) => {
    const limit = declaredLimit(spec, context.profile);
    return limit ? 2 * limit.windowMs + 100 : 0;
  },

  validate(spec, context) {
    const issues = validateRequest(spec.request, context);
    if (spec.expect?.admittedRate?.target === 'limit' && spec.limit === undefined) {
      issues.push({ path: ['expect', 'admittedRate', 'target'], code: 'E_BAD_VALUE', message: 'target: limit needs the declared limit: give limit: { limit, window } or the name of a rate limit of the profile' });
    }
    const rateLimits = (context.profile?.extensions.rateLimits as Record<string, unknown> | undefined) ?? {};
    if (typeof spec.limit === 'string' && context.profile && !(spec.limit in rateLimits)) {
      issues.push({ path: ['limit'], code: 'E_UNKNOWN_POLICY', message: `the profile declares no rate limit named '${spec.limit}'`, hint: 'declare it under rateLimits: in the profile' });
    }
    const durationMs = spec.load.duration === undefined ? undefined : parseDuration(spec.load.duration);
    if (spec.load.rate !== undefined && durationMs !== undefined && durationMs % 1000 !== 0) {
      issues.push({
        path: ['load', 'duration'],
        code: 'E_BAD_VALUE',
        message: `with a rate, the duration must be whole seconds (got ${spec.load.duration}): autocannon releases each second's quota at the start of the second`,
      });
    }
    return issues;
  },

  async run(ctx, spec): Promise<CheckOutcome[]> {
    const request = await toRequestSpec(spec.request, ctx.check.source?.file);
    assertLoadAllowed([ctx.http.prepare(request).url.toString()], ctx.options.allowLoad);

    // One ordinary request first: it verifies the server certificate (autocannon does not) and that anything answers.
    const preflight = await ctx.http.send({ ...request, label: 'preflight' });
    if (preflight.exchange.transport) return [transportErrored(preflight.exchange, { message: `preflight failed, no load sent: ${preflight.exchange.transport.class}: ${preflight.exchange.transport.message}` })];
    const oversized = oversizedAnswer(preflight.exchange, ctx.http.options.bodyCapBytes);
    if (oversized) return [{ status: 'errored', message: `preflight answer ${oversized}, no load sent: a load run reads every answer in full, with no cap`, evidence: { exchanges: [preflight.exchange] } }];

    const prepared = ctx.http.prepare(request);
    const identity = ctx.http.identityFor(request);
    const durationMs = durationOf(spec);
    const run = await runLoad({
      request: prepared,
      connections: spec.load.connections ?? 10,
      pipelining: spec.load.pipelining ?? 1,
      durationMs,
      amount: spec.load.amount,
      rate: spec.load.rate,
      timeoutMs: request.timeoutMs ?? ctx.options.timeoutMs,
      tls: prepared.url.protocol === 'https:' ? { ca: ctx.profile.tls.ca, cert: identity?.cert, key: identity?.key, passphrase: identity?.passphrase, servername: ctx.profile.tls.servername } : undefined,
      signal: ctx.signal,
      onProgress: (responses, elapsedMs) => ctx.progress(progressBar(elapsedMs, spec.load.amount === undefined ? durationMs : undefined, responses, spec.load.amount)),
    });

    const classify = classifier(spec.refusedStatus ?? [429], spec.admittedStatus);
    const summary = summarise(run.tally, run.durationMs, classify);
    const limit = declaredLimit(spec, ctx.profile);
    const windowMs = limit?.windowMs;
    const limitPerBucket = limit ? (limit.limit / limit.windowMs) * 100 : undefined;
    const evidence = {
      exchanges: [preflight.exchange],
      charts: [timeline(run.tally, run.durationMs, classify, `responses per 100 ms${limit ? ` (declared limit ${limit.described})` : ''}`, limitPerBucket), latencyChart(summary)],
      data: { summary, stoppedBy: run.stoppedBy, errorSamples: run.tally.errorSamples },
      notes: run.tally.errorSamples.map((m) => `transport error: ${m}`),
    };

    if (run.stoppedBy === 'interrupted') {
      return [{ status: 'errored', message: `interrupted after ${(summary.durationMs / 1000).toFixed(1)}s of load, before its end: what was measured is kept, but proves nothing about the whole run [E_INTERRUPTED]`, evidence }];
    }
    if (summary.responses === 0 || summary.errors === summary.responses) {
      return [{ status: 'errored', message: `no HTTP response arrived during the load run (${summary.errors} transport errors): a TLS rejection or a dead target looks like this`, evidence }];
    }
    if (run.stoppedBy === 'deadline') {
      return [{ status: 'errored', message: `the target stalled the end of the run: stopped by gauntlet's deadline after ${(summary.durationMs / 1000).toFixed(1)}s with ${summary.responses} responses, before the run's own end [E_LOAD_DEADLINE]`, evidence }];
    }
    // Nothing served proves nothing under load, unless the check's claim is exactly that every request is refused.
    if (summary.admitted === 0 && spec.expect?.refusedShare?.min !== 1) {
      const statuses = countsText(Object.entries(summary.statusCounts));
      return [{ status: 'errored', message: `cannot conclude: no response of the load run was admitted (${statuses}), so nothing was served under load [E_PRECONDITION]`, evidence }];
    }

    const expect = spec.expect ?? DEFAULT_EXPECT;
    const assertions: AssertionResult[] = [];
    if (expect.admittedRate) {
      const target = expect.admittedRate.target === 'limit' ? (limit ? (limit.limit * 1000) / limit.windowMs : Number.NaN) : expect.admittedRate.target;
      const allowed = tolerance(expect.admittedRate.tolerance, target);
      assertions.push({
        name: 'admitted rate',
        passed: Math.abs(summary.admittedPerSecond - target) <= allowed,
        expected: `${target}/s ± ${allowed.toFixed(1)}`,
        actual: `${summary.admittedPerSecond.toFixed(1)}/s`,
      });
    }
    if (limit) assertions.push(withinDeclaredLimit(limit, summary));
    if (expect.refusedShare) assertions.push(...shareAssertion('refused', summary.refused, summary.responses, expect.refusedShare));
    if (expect.otherNon2xxShare) assertions.push(...shareAssertion('other non-2xx', summary.other, summary.responses, expect.otherNon2xxShare));
    if (expect.errorShare) assertions.push(...shareAssertion('transport error', summary.errors, summary.responses, expect.errorShare));
    assertions.push(...latencyAssertions('admitted', expect.latency?.admitted, summary), ...latencyAssertions('refused', expect.latency?.refused, summary));

    const failures = assertions.filter((a) => !a.passed);
    const headline = `${summary.responses} responses in ${(summary.durationMs / 1000).toFixed(1)}s: ${summary.admitted} admitted (${summary.admittedPerSecond.toFixed(1)}/s), ${summary.refused} refused, ${summary.other} other, ${summary.errors} errors`;
    return [
      {
        status: failures.length ? 'failed' : 'passed',
        message: failures.length ? `${failures.map((a) => `${a.name}: expected ${a.expected}, got ${a.actual}`).join('; ')} (${headline})` : headline,
        assertions,
        evidence,
      },
    ];
  },
};

/**
 * Whatever the algorithm, a limit of `limit` per window admits at most `limit` for each window the run touched
 * and one more window's worth (a burst saved up, a fixed window's edge): more than that and the limit is not enforced.
 */
function withinDeclaredLimit(limit: DeclaredLimit, summary: LoadSummary): AssertionResult {
  const most = limit.limit * (Math.ceil(summary.durationMs / limit.windowMs) + 1);
  return {
    name: 'admitted within the declared limit',
    passed: summary.admitted <= most,
    expected: `at most ${most} in ${(summary.durationMs / 1000).toFixed(1)}s (${limit.described}, one window's worth of slack)`,
    actual: `${summary.admitted} admitted`,
  };
}

/** `[########------------] 1.6/4.0s 12345 responses`: against the duration, or the amount when one is set. */
function progressBar(elapsedMs: number, durationMs: number | undefined, responses: number, amount: number | undefined): string {
  const done = amount !== undefined ? responses / amount : durationMs ? elapsedMs / durationMs : 0;
  const filled = Math.max(0, Math.min(20, Math.round(done * 20)));
  const of = amount !== undefined ? `${responses}/${amount} responses` : `${(elapsedMs / 1000).toFixed(1)}/${((durationMs ?? 0) / 1000).toFixed(1)}s, ${responses} responses`;
  return `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${of}`;
}
