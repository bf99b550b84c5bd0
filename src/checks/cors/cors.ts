import { randomBytes } from 'node:crypto';
import type { Exchange, Severity } from '../../results/model.js';
import { deadlineOf, sequential } from '../bounds.js';
import { caseErrored, caseFromAssertions, caseSkipped, describeTransport, transportFailure, type CaseInfo } from '../cases.js';
import type { BoundsContext } from '../bounds.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import {
  allowedOriginAssertions,
  allowsCredentials,
  bypassAssertion,
  grantsOrigin,
  headerAllowed,
  isWildcard,
  methodAllowed,
  probeSummary,
  type ProbeExchange,
} from './evaluate.js';
import { noOriginCase, reflectionCase, varyCase, wildcardCase, wildcardCredentialsCase } from './overall-cases.js';
import { bypassProbes, type OriginProbe } from './probes.js';
import { exchangesOf, probeData, Prober } from './prober.js';
import type { TargetProfile } from '../../scenario/types.js';
import { CORS_BYPASS_CASES, CORS_CASES, corsProfileProperties, corsProperties, type CorsCase, type CorsSpec } from './spec.js';

const DEFAULT_SEVERITY: Partial<Record<CorsCase, Severity>> = {
  wildcard: 'low',
  'wildcard-credentials': 'medium',
  'preflight-method-reflection': 'low',
  'preflight-header-reflection': 'low',
  'vary-origin': 'low',
};
const PROBE_METHOD = 'GAUNTLETPROBE';

const TITLES = {
  'allowed-origin': 'each allowed origin gets working CORS',
  'no-origin': 'a response to a request without Origin allows no unlisted origin',
  'preflight-method-reflection': 'a preflight does not allow an arbitrary requested method',
  'preflight-header-reflection': 'a preflight does not allow an arbitrary requested header',
  wildcard: 'no response allows every origin with Access-Control-Allow-Origin: *',
  'wildcard-credentials': 'no response combines Access-Control-Allow-Origin: * with credentials',
  'vary-origin': 'responses whose CORS headers depend on the Origin say Vary: Origin',
} as const;
const allowedOriginTitle = (origin: string) => `the allowed origin ${origin} gets working CORS (actual request and preflight)`;
/** Judged over the answers to every other case: selected alone, they still need the others sent. */
const OVER_ALL_ANSWERS: readonly CorsCase[] = ['wildcard', 'wildcard-credentials', 'vary-origin'];
/** The order a run reports its cases in. */
const RUN_ORDER: readonly CorsCase[] = ['allowed-origin', 'no-origin', ...CORS_BYPASS_CASES, 'preflight-method-reflection', 'preflight-header-reflection', ...OVER_ALL_ANSWERS];

/** The origin the bypass probes are derived from: probeBase, else the first allowed origin, else the target's. */
function probeBaseOf(spec: CorsSpec, profile: TargetProfile): string {
  return spec.probeBase ?? allowedOriginsOf(spec, profile)[0] ?? new URL(profile.baseUrl).origin;
}

/** Every selected case, in the order a run reports them: allowed-origin is one case per allowed origin. */
function plannedCases(spec: CorsSpec, context: BoundsContext): CaseInfo[] {
  const selected = new Set<CorsCase>(spec.cases ?? CORS_CASES);
  const allowed = allowedOriginsOf(spec, context.profile);
  const bypass = new Map(bypassProbes(probeBaseOf(spec, context.profile), 'x', spec.thirdPartyOrigins).map((p) => [p.name as CorsCase, p.title]));
  return RUN_ORDER.filter((name) => selected.has(name)).flatMap((name): CaseInfo[] => {
    const severity = spec.severities?.[name] ?? DEFAULT_SEVERITY[name];
    if (name === 'allowed-origin' && allowed.length) return allowed.map((origin, i) => ({ suffix: `allowed-origin-${i + 1}`, title: allowedOriginTitle(origin), severity }));
    return [{ suffix: name, title: bypass.get(name) ?? TITLES[name as keyof typeof TITLES], severity }];
  });
}

function isOrigin(text: string): boolean {
  if (text === 'null') return true;
  try {
    const url = new URL(text);
    return url.origin === text.replace(/\/$/, '') && (url.protocol === 'http:' || url.protocol === 'https:');
  } catch {
    return false;
  }
}

/** The profile's CORS section: the browser origins the API serves, for every cors check that lists none. */
function profileCors(profile: TargetProfile): { allowedOrigins?: string[]; credentials?: boolean } {
  return (profile.extensions.cors as { allowedOrigins?: string[]; credentials?: boolean } | undefined) ?? {};
}

function allowedOriginsOf(spec: CorsSpec, profile: TargetProfile): string[] {
  return spec.allowedOrigins ?? profileCors(profile).allowedOrigins ?? [];
}

/** One bypass probe, sent both ways; its severity depends on whether the target also allowed credentials. */
async function bypassCase(prober: Prober, probe: OriginProbe, spec: CorsSpec, ask: { method: string; headers: string[] }, credentialed: boolean): Promise<CheckOutcome> {
  const observed: ProbeExchange[] = [];
  for (const origin of probe.origins) observed.push(await prober.both(origin, ask, `${probe.name} ${origin}`));
  const exchanges = exchangesOf(observed);
  const reflecting = observed.flatMap((p) => [p.simple, p.preflight].filter((e) => grantsOrigin(e, p.origin)));
  const withCredentials = reflecting.length ? reflecting.some(allowsCredentials) : credentialed;
  const severity =
    spec.severities?.[probe.name] ??
    (withCredentials ? (spec.bypassSeverity?.withCredentials ?? 'high') : (spec.bypassSeverity?.withoutCredentials ?? 'medium'));
  const info: CaseInfo = { suffix: probe.name, title: probe.title, severity };
  const failure = transportFailure(exchanges);
  // A reflection seen on one send is a finding even if another send got no answer; with none seen, it is unjudged.
  if (failure && reflecting.length === 0) return caseErrored(info, describeTransport(failure), exchanges);
  const notes = exchanges.some(isWildcard) ? ['answered Access-Control-Allow-Origin: * (judged by the wildcard case)'] : [];
  if (failure) notes.push(`some sends got no HTTP answer (${describeTransport(failure)})`);
  const passMessage = `refused: ${observed.map((p) => `${p.origin} (${probeSummary(p)})`).join('; ')}`;
  return caseFromAssertions(info, observed.map(bypassAssertion), exchanges, passMessage, { notes, data: probeData(observed) });
}

export const corsKind: CheckKind<CorsSpec> = {
  kind: 'cors',
  description:
    'CORS policy: bypass origins (reflected, null, prefix, suffix, substring, regex dot, subdomain, http, special characters, third-party hosting), wildcards, preflight reflection, Vary, positive controls.',
  properties: corsProperties,
  profileProperties: corsProfileProperties,

  defaultTitle: () => 'the CORS policy allows exactly the listed origins',

  plannedCases,

  // allowed-origin-<n> is the allowed-origin case for one origin; the cases judged over every answer keep the rest.
  narrowToCases(spec, suffixes) {
    if (suffixes.some((s) => OVER_ALL_ANSWERS.includes(s as CorsCase))) return spec;
    return { ...spec, cases: [...new Set(suffixes.map((s) => (s.startsWith('allowed-origin-') ? 'allowed-origin' : s)))] as CorsCase[] };
  },

  // One request without Origin, then an actual request and a preflight per allowed and per probe origin, and the
  // two reflection preflights: one after another, about 35 for two allowed origins.
  bounds(spec, context) {
    const selected = new Set<CorsCase>(spec.cases ?? CORS_CASES);
    const allowed = allowedOriginsOf(spec, context.profile);
    const base = spec.probeBase ?? allowed[0] ?? new URL(context.profile.baseUrl).origin;
    const probeOrigins = bypassProbes(base, 'x', spec.thirdPartyOrigins).filter((p) => selected.has(p.name) && !p.skip).reduce((n, p) => n + p.origins.length, 0);
    const reflections = allowed.length ? ['preflight-method-reflection', 'preflight-header-reflection'].filter((c) => selected.has(c as CorsCase)).length : 0;
    return sequential(1 + 2 * allowed.length + 2 * probeOrigins + reflections, deadlineOf(spec.request?.timeout, context), 0, {
      smaller: 'cases: [...] with fewer bypass probes sends fewer',
    });
  },

  validate(spec, context) {
    const issues: SpecIssue[] = validateRequest(spec.request, context);
    for (const field of ['allowedOrigins', 'thirdPartyOrigins'] as const) {
      (spec[field] ?? []).forEach((origin, i) => {
        if (!isOrigin(origin)) issues.push({ path: [field, i], code: 'E_BAD_ORIGIN', message: `'${origin}' is not an origin`, hint: 'write scheme://host[:port], without a path' });
      });
    }
    if (spec.probeBase !== undefined && (!isOrigin(spec.probeBase) || spec.probeBase === 'null')) {
      issues.push({ path: ['probeBase'], code: 'E_BAD_ORIGIN', message: `'${spec.probeBase}' is not an http(s) origin` });
    }
    return issues;
  },

  async run(ctx, spec) {
    const selected = new Set<CorsCase>(spec.cases ?? CORS_CASES);
    const request = await toRequestSpec(spec.request ?? {}, ctx.check.source?.file);
    const ask = { method: (spec.preflight?.method ?? 'POST').toUpperCase(), headers: spec.preflight?.headers ?? ['content-type'] };
    const allowed = allowedOriginsOf(spec, ctx.profile);
    const credentials = spec.credentials ?? profileCors(ctx.profile).credentials;
    const random = randomBytes(4).toString('hex');
    const prober = new Prober(ctx, request);
    const info = (name: CorsCase, title: string, suffix: string = name): CaseInfo => ({ suffix, title, severity: spec.severities?.[name] ?? DEFAULT_SEVERITY[name] });
    const outcomes: CheckOutcome[] = [];

    ctx.progress('request without Origin');
    const noOrigin = await prober.simple(undefined, 'no Origin');
    const positives: ProbeExchange[] = [];
    for (const origin of allowed) {
      ctx.progress(`allowed origin ${origin}`);
      positives.push(await prober.both(origin, ask, `allowed origin ${origin}`));
    }
    if (selected.has('allowed-origin')) {
      if (allowed.length === 0) outcomes.push(caseSkipped(info('allowed-origin', TITLES['allowed-origin']), 'no allowed origins: list the browser origins the API serves under allowedOrigins, or cors.allowedOrigins in the profile'));
      positives.forEach((p, i) => {
        const c = info('allowed-origin', allowedOriginTitle(p.origin), `allowed-origin-${i + 1}`);
        const failure = transportFailure([p.simple, p.preflight]);
        outcomes.push(
          failure
            ? caseErrored(c, describeTransport(failure), [p.simple, p.preflight])
            : caseFromAssertions(c, allowedOriginAssertions(p, ask, credentials), [p.simple, p.preflight], `allowed: ${probeSummary(p)}`, { data: probeData([p]) }),
        );
      });
    }
    if (selected.has('no-origin')) outcomes.push(noOriginCase(info('no-origin', TITLES['no-origin']), noOrigin, allowed));

    const credentialed = positives.some((p) => allowsCredentials(p.simple) || allowsCredentials(p.preflight));
    const base = probeBaseOf(spec, ctx.profile);
    for (const probe of bypassProbes(base, random, spec.thirdPartyOrigins)) {
      if (!selected.has(probe.name)) continue;
      if (probe.skip) {
        outcomes.push(caseSkipped(info(probe.name, probe.title), probe.skip));
        continue;
      }
      ctx.progress(`probe ${probe.name}`);
      outcomes.push(await bypassCase(prober, probe, spec, ask, credentialed));
    }

    const reflectionOrigin = allowed[0];
    const probeHeader = `x-gauntlet-probe-${random}`;
    const reflections: { name: CorsCase; what: 'method' | 'header'; send: () => Promise<Exchange>; allowed: (e: Exchange) => boolean }[] = [
      { name: 'preflight-method-reflection', what: 'method', send: () => prober.preflight(reflectionOrigin!, PROBE_METHOD, [], 'method reflection'), allowed: (e) => methodAllowed(e, PROBE_METHOD) },
      { name: 'preflight-header-reflection', what: 'header', send: () => prober.preflight(reflectionOrigin!, 'GET', [probeHeader], 'header reflection'), allowed: (e) => headerAllowed(e, probeHeader) },
    ];
    for (const r of reflections) {
      if (!selected.has(r.name)) continue;
      const c = info(r.name, TITLES[r.name as keyof typeof TITLES]);
      if (reflectionOrigin === undefined) outcomes.push(caseSkipped(c, 'no allowedOrigins configured: a reflection only matters for an origin that is allowed'));
      else outcomes.push(reflectionCase(c, r.what, await r.send(), reflectionOrigin, r.allowed));
    }

    const answered = prober.all.filter((e) => e.response);
    const overall: [CorsCase, string, (c: CaseInfo) => CheckOutcome][] = [
      ['wildcard', TITLES.wildcard, (c) => wildcardCase(c, answered)],
      ['wildcard-credentials', TITLES['wildcard-credentials'], (c) => wildcardCredentialsCase(c, answered)],
      ['vary-origin', TITLES['vary-origin'], (c) => varyCase(c, answered, noOrigin)],
    ];
    for (const [name, title, judge] of overall) {
      if (!selected.has(name)) continue;
      // Judged over every answer: with none at all there is nothing to judge, which is not a pass.
      const failure = transportFailure(prober.all);
      if (answered.length === 0) outcomes.push(caseErrored(info(name, title), failure ? `no probe got an HTTP answer: ${describeTransport(failure)}` : 'no probe was sent', failure ? [failure] : []));
      else outcomes.push(judge(info(name, title)));
    }
    return outcomes;
  },
};
