import { declaredLimit } from './declared-limit.js';
import { assertLoadAllowed } from '../../engine/load-guard.js';
import { LOAD_LIMITS, loadDeadlineMs } from '../../engine/load-runner.js';
import { LocalLoadEngine, type LoadJob } from '../../engine/load-engine.js';
import type { Exchange } from '../../results/model.js';
import { parseDuration } from '../../util/duration.js';
import { deadlineOf } from '../bounds.js';
import { transportErrored } from '../outcomes.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome } from '../types.js';
import { abortCondition, judgeLoad, judgingOf } from './judge.js';
import { segmentOutcome } from './segment-outcome.js';
import { loadProperties, type LoadSpec } from './spec.js';

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

export const loadKind: CheckKind<LoadSpec> = {
  kind: 'load',
  description: 'Sustained load through autocannon; thresholds on admitted rate, refusals, errors and latency.',
  properties: loadProperties,
  required: ['request', 'load'],
  exclusive: true,
  splitLoad: (spec) => ({ connections: spec.load.connections ?? 10, amount: spec.load.amount, rate: spec.load.rate }),

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

    const durationMs = durationOf(spec);
    const job: LoadJob = {
      checkId: ctx.check.id,
      request,
      connections: spec.load.connections ?? 10,
      pipelining: spec.load.pipelining ?? 1,
      durationMs,
      amount: spec.load.amount,
      rate: spec.load.rate,
      timeoutMs: request.timeoutMs ?? ctx.options.timeoutMs,
    };
    const judging = judgingOf(spec, declaredLimit(spec, ctx.profile));
    const engine = ctx.options.loadEngine ?? new LocalLoadEngine();
    const run = await engine.run(job, {
      http: ctx.http,
      signal: ctx.signal,
      abortWhen: abortCondition(judging),
      progress: (responses, elapsedMs) => ctx.progress(progressBar(elapsedMs, spec.load.amount === undefined ? durationMs : undefined, responses, spec.load.amount)),
    });
    if (run.segment) return [segmentOutcome(run, judging, preflight.exchange)];
    return [judgeLoad(run, judging, [preflight.exchange])];
  },
};

/** `[########------------] 1.6/4.0s 12345 responses`: against the duration, or the amount when one is set. */
function progressBar(elapsedMs: number, durationMs: number | undefined, responses: number, amount: number | undefined): string {
  const done = amount !== undefined ? responses / amount : durationMs ? elapsedMs / durationMs : 0;
  const filled = Math.max(0, Math.min(20, Math.round(done * 20)));
  const of = amount !== undefined ? `${responses}/${amount} responses` : `${(elapsedMs / 1000).toFixed(1)}/${((durationMs ?? 0) / 1000).toFixed(1)}s, ${responses} responses`;
  return `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${of}`;
}
