import { assertLoadAllowed } from '../../engine/load-guard.js';
import type { LatencyChart } from '../../results/charts.js';
import { durationSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { parseDuration } from '../../util/duration.js';
import { schemeLengthOf } from '../api-key/guesses.js';
import { apiKeyProperties, type KeyIn, type ProtectedRequest } from '../api-key/spec.js';
import { deadlineOf, sequential } from '../bounds.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome } from '../types.js';
import { mannWhitneyU, median, percentile, trimmed, type RankTest } from './mann-whitney.js';
import { sampleRound, type RoundSamples, type SamplingPlan } from './sampling.js';

export interface ApiKeyTimingSpec extends CheckSpecBase {
  request: ProtectedRequest;
  key?: string;
  in?: KeyIn;
  header?: string;
  prefixLength?: number;
  schemeLength?: number;
  samples?: number;
  warmup?: number;
  repeat?: number;
  trim?: number;
  alpha?: number;
  minEffect?: number;
  confirm?: boolean;
  maxDuration?: string | number;
}

const DEFAULTS = { prefixLength: 16, samples: 150, warmup: 30, repeat: 2, trim: 0.05, alpha: 0.001, minEffect: 0.71, maxDurationMs: 60_000 };

const properties: Record<string, JsonSchema> = {
  request: apiKeyProperties.request!,
  key: { type: 'string', default: 'valid', description: 'The profile key whose prefix the guesses share (default `valid`).', examples: ['valid'] },
  in: apiKeyProperties.in!,
  header: apiKeyProperties.header!,
  prefixLength: {
    type: 'integer',
    minimum: 1,
    default: DEFAULTS.prefixLength,
    description: `Characters of the real key the prefix-sharing guesses keep (default ${DEFAULTS.prefixLength}).`,
    examples: [8],
  },
  schemeLength: {
    type: 'integer',
    minimum: 0,
    description: 'Characters every key shares (`sk_live_`); default: the leading lowercase words ending with `_`.',
    examples: [8],
  },
  samples: {
    type: 'integer',
    minimum: 20,
    maximum: 5000,
    default: DEFAULTS.samples,
    description: `Measured requests per group and round (default ${DEFAULTS.samples}).`,
    examples: [400],
  },
  warmup: { type: 'integer', minimum: 0, maximum: 1000, default: DEFAULTS.warmup, description: `Pairs sent first and discarded (default ${DEFAULTS.warmup}).`, examples: [50] },
  repeat: {
    type: 'integer',
    minimum: 1,
    maximum: 10,
    default: DEFAULTS.repeat,
    description: `Requests per guess; the fastest counts, filtering stalls (default ${DEFAULTS.repeat}).`,
    examples: [3],
  },
  trim: { type: 'number', minimum: 0, maximum: 0.25, default: DEFAULTS.trim, description: `Fraction cut from each end of each group (default ${DEFAULTS.trim}).`, examples: [0.1] },
  alpha: { type: 'number', exclusiveMinimum: 0, maximum: 0.1, default: DEFAULTS.alpha, description: `Significance level of the rank test (default ${DEFAULTS.alpha}).`, examples: [0.01] },
  minEffect: {
    type: 'number',
    minimum: 0.5,
    maximum: 1,
    default: DEFAULTS.minEffect,
    description: `Smallest effect reported, as Vargha-Delaney A (default ${DEFAULTS.minEffect}: a large effect).`,
    examples: [0.64],
  },
  confirm: { type: 'boolean', default: true, description: 'A second, independent round must agree before a leak is reported (default true).', examples: [false] },
  maxDuration: { ...durationSchema, default: '60s', description: 'Time budget of the whole check (default `60s`).', examples: ['2m'] },
};

interface RoundVerdict {
  test: RankTest;
  leak: boolean;
  medianShared: number;
  medianOther: number;
  samples: RoundSamples;
}

const fmtP = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));
const fmtMs = (ms: number) => `${ms.toFixed(2)} ms`;

function judge(samples: RoundSamples, spec: ApiKeyTimingSpec): RoundVerdict {
  const trim = spec.trim ?? DEFAULTS.trim;
  const shared = trimmed(samples.shared, trim);
  const other = trimmed(samples.other, trim);
  const test = mannWhitneyU(shared, other);
  const minEffect = spec.minEffect ?? DEFAULTS.minEffect;
  const leak = test.p < (spec.alpha ?? DEFAULTS.alpha) && Math.abs(test.a - 0.5) >= minEffect - 0.5;
  return { test, leak, medianShared: median(shared), medianOther: median(other), samples };
}

function latencyChart(verdict: RoundVerdict): LatencyChart {
  const points = (values: number[]) => [10, 25, 50, 75, 90, 95, 99].map((p) => ({ p, ms: percentile(values, p) }));
  return {
    type: 'latency',
    title: 'time to response head: guesses sharing a real prefix vs other guesses',
    series: [
      { name: 'prefix-sharing guesses', points: points(verdict.samples.shared) },
      { name: 'other guesses', points: points(verdict.samples.other) },
    ],
  };
}

const describe = (v: RoundVerdict) => `p=${fmtP(v.test.p)}, A=${v.test.a.toFixed(2)}, medians ${fmtMs(v.medianShared)} vs ${fmtMs(v.medianOther)}`;

/**
 * Timing side channel of key lookup: unknown keys that share a real key's identifying prefix against unknown
 * keys that share only the scheme, compared with a Mann-Whitney U test. A leak is reported only when the
 * difference is both significant (p < alpha) and large (Vargha-Delaney A beyond minEffect), and, by default,
 * when an independent second round agrees: a busy machine slows both groups alike, so it cannot produce that.
 */
export const apiKeyTimingKind: CheckKind<ApiKeyTimingSpec> = {
  kind: 'api-key-timing',
  description: "Timing side channel: do unknown keys sharing a real key's prefix answer measurably slower (or faster) than other unknown keys?",
  properties,
  required: ['request'],
  defaultSeverity: 'low',
  exclusive: true,

  defaultTitle: (spec) => `refusing a guessed key takes as long whether or not it shares a real key's prefix (${(spec.request.method ?? 'GET').toUpperCase()} ${spec.request.path ?? '/'})`,

  // Two rounds of (warm-up + samples) pairs, each guess sent `repeat` times; the budget is checked before each
  // pair, so the pair in flight when it runs out may add its requests at their deadline.
  bounds(spec, context) {
    const repeat = spec.repeat ?? DEFAULTS.repeat;
    const deadline = deadlineOf(spec.request.timeout, context);
    const budget = spec.maxDuration === undefined ? DEFAULTS.maxDurationMs : parseDuration(spec.maxDuration)!;
    return sequential(2 * 2 * repeat * ((spec.samples ?? DEFAULTS.samples) + (spec.warmup ?? DEFAULTS.warmup)), deadline, 0, {
      durationMs: budget + 2 * repeat * deadline,
    });
  },

  validate(spec, context) {
    const issues = validateRequest(spec.request, context);
    const name = spec.key ?? 'valid';
    if (context.profile && !context.profile.keys.has(name)) {
      issues.push({ path: spec.key ? ['key'] : [], code: 'E_UNKNOWN_KEY', message: `API key '${name}' is not in the target profile; the guesses are made from a real key`, hint: 'name a profile key with key:' });
    }
    return issues;
  },

  async run(ctx, spec) {
    assertLoadAllowed([ctx.profile.baseUrl], ctx.options.allowLoad);
    const name = spec.key ?? 'valid';
    const realKey = ctx.profile.keys.get(name);
    if (!realKey) return [{ status: 'skipped', message: `not run: the profile has no API key '${name}' to make guesses from`, evidence: {} }];
    const prefixLength = Math.min(spec.prefixLength ?? DEFAULTS.prefixLength, realKey.length - 1);
    const plan: SamplingPlan = {
      base: await toRequestSpec(spec.request, ctx.check.source?.file),
      placement: { in: spec.in ?? 'header', header: spec.header },
      realKey,
      prefixLength,
      schemeLength: Math.min(spec.schemeLength ?? schemeLengthOf(realKey, prefixLength - 1), prefixLength - 1),
      samples: spec.samples ?? DEFAULTS.samples,
      warmup: spec.warmup ?? DEFAULTS.warmup,
      repeat: spec.repeat ?? DEFAULTS.repeat,
      deadline: performance.now() + (spec.maxDuration === undefined ? DEFAULTS.maxDurationMs : parseDuration(spec.maxDuration)!),
    };

    const rounds: RoundVerdict[] = [];
    for (let round = 1; round <= 2; round++) {
      const samples = await sampleRound(ctx, plan, round);
      if (samples.stopped) return [stoppedOutcome(samples, rounds)];
      const unrefused = unrefusedGuesses(samples);
      if (unrefused) return [unrefusedOutcome(samples, unrefused)];
      rounds.push(judge(samples, spec));
      if (!rounds[0]!.leak || spec.confirm === false) break;
    }
    return [verdictOutcome(rounds, plan, spec)];
  },
};

function evidence(rounds: RoundVerdict[], plan: SamplingPlan) {
  const last = rounds.at(-1)!;
  return {
    exchanges: last.samples.examples,
    charts: [latencyChart(last)],
    data: {
      prefixLength: plan.prefixLength,
      schemeLength: plan.schemeLength,
      rounds: rounds.map((r) => ({
        samplesPerGroup: r.test.n1,
        p: r.test.p,
        effectA: r.test.a,
        z: r.test.z,
        medianSharedMs: r.medianShared,
        medianOtherMs: r.medianOther,
        statuses: r.samples.statuses,
      })),
    },
  };
}

function verdictOutcome(rounds: RoundVerdict[], plan: SamplingPlan, spec: ApiKeyTimingSpec): CheckOutcome {
  const [first, second] = rounds;
  // Without a second round (confirm: false), the first decides; with one, both must agree on the direction.
  const leak = first!.leak && (second === undefined || (second.leak && Math.sign(second.test.a - 0.5) === Math.sign(first!.test.a - 0.5)));
  const statusNote = statusDifference(rounds.at(-1)!.samples);
  const notes = statusNote ? [statusNote] : [];
  const per = `${first!.test.n1} samples per group after trimming`;
  if (leak) {
    const slower = first!.test.a > 0.5 ? 'slower' : 'faster';
    const confirmed = second ? `; confirmed by a second round: ${describe(second)}` : '';
    return {
      status: 'failed',
      message: `guesses sharing a real key's ${plan.prefixLength}-character prefix answer ${slower}: ${describe(first!)} (${per})${confirmed}. An attacker can learn which key prefixes exist by timing.`,
      evidence: { ...evidence(rounds, plan), notes },
    };
  }
  const noise = first!.leak && second ? ` A first round looked significant (${describe(first!)}) but an independent second round did not (${describe(second)}): treated as noise.` : '';
  const shown = second ?? first!;
  return {
    status: 'passed',
    message: `no timing difference between guesses sharing a real key's prefix and other guesses: ${describe(shown)} (${per}; a leak needs p < ${spec.alpha ?? DEFAULTS.alpha} and A beyond ${spec.minEffect ?? DEFAULTS.minEffect}).${noise}`,
    evidence: { ...evidence(rounds, plan), notes },
  };
}

/** A refusal is a 4xx: anything else a made-up key gets (served, redirected, a server error) is not one. */
const isRefusal = (status: string) => status.startsWith('4');

/** How many made-up keys were not refused, and with what: then there is no refusal to time. */
function unrefusedGuesses(samples: RoundSamples): string | undefined {
  const all = [...Object.entries(samples.statuses.shared), ...Object.entries(samples.statuses.other)].filter(([s]) => !isRefusal(s));
  const count = all.reduce((n, [, c]) => n + c, 0);
  if (count === 0) return undefined;
  const statuses = [...new Set(all.map(([s]) => s))].sort();
  return `${count} of ${samples.shared.length + samples.other.length} made-up keys were answered ${statuses.join(', ')}, not refused`;
}

function unrefusedOutcome(samples: RoundSamples, unrefused: string): CheckOutcome {
  return {
    status: 'errored',
    message: `${unrefused}: there is no refusal to time (the api-key check's unknown case judges the answer)`,
    evidence: { exchanges: samples.examples, data: { statuses: samples.statuses } },
  };
}

function statusDifference(samples: RoundSamples): string | undefined {
  const codes = (group: 'shared' | 'other') => Object.keys(samples.statuses[group]).sort().join(', ');
  if (codes('shared') !== codes('other')) return `the groups got different status codes (prefix-sharing: ${codes('shared')}; other: ${codes('other')}): the status itself tells them apart`;
  return undefined;
}

function stoppedOutcome(samples: RoundSamples, rounds: RoundVerdict[]): CheckOutcome {
  return {
    status: 'errored',
    message: `the timing check could not finish: ${samples.stopped}${rounds.length ? ` (round 1: ${describe(rounds[0]!)})` : ''}`,
    evidence: { exchanges: samples.examples },
  };
}

