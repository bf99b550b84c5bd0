import { randomBytes } from 'node:crypto';
import type { RequestSpec } from '../../engine/http-client.js';
import type { Exchange, Severity } from '../../results/model.js';
import { caseErrored, caseFromAssertions, caseSkipped, describeTransport, transportFailure, type CaseInfo } from '../cases.js';
import { toRequestSpec, validateRequest } from '../request.js';
import { responseHeader } from '../response-headers.js';
import type { CheckContext, CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import {
  allowedOriginAssertions,
  allowOrigin,
  allowsCredentials,
  bypassAssertion,
  describeCors,
  grantsOrigin,
  headerAllowed,
  isWildcard,
  methodAllowed,
  probeSummary,
  varyCoversOrigin,
  type ProbeExchange,
} from './evaluate.js';
import { bypassProbes } from './probes.js';
import { CORS_CASES, corsProperties, type CorsCase, type CorsSpec } from './spec.js';

const DEFAULT_SEVERITY: Partial<Record<CorsCase, Severity>> = {
  wildcard: 'low',
  'wildcard-credentials': 'medium',
  'preflight-method-reflection': 'low',
  'preflight-header-reflection': 'low',
  'vary-origin': 'low',
};

function isOrigin(text: string): boolean {
  if (text === 'null') return true;
  try {
    const url = new URL(text);
    return url.origin === text.replace(/\/$/, '') && (url.protocol === 'http:' || url.protocol === 'https:');
  } catch {
    return false;
  }
}

class Prober {
  readonly all: Exchange[] = [];
  constructor(
    private readonly ctx: CheckContext,
    private readonly request: RequestSpec,
  ) {}

  async simple(origin: string | undefined, label: string): Promise<Exchange> {
    const headers = { ...this.request.headers, ...(origin === undefined ? {} : { Origin: origin }) };
    const { exchange } = await this.ctx.http.send({ ...this.request, headers, label });
    this.all.push(exchange);
    return exchange;
  }

  /** Browsers send preflights without credentials: no API key, whatever the profile's default. */
  async preflight(origin: string, method: string, requestHeaders: string[], label: string): Promise<Exchange> {
    const headers: Record<string, string> = { Origin: origin, 'Access-Control-Request-Method': method };
    if (requestHeaders.length) headers['Access-Control-Request-Headers'] = requestHeaders.join(',');
    const { method: _m, body: _b, headers: _h, ...rest } = this.request;
    const { exchange } = await this.ctx.http.send({ ...rest, method: 'OPTIONS', key: 'none', headers, label });
    this.all.push(exchange);
    return exchange;
  }

  async both(origin: string, ask: { method: string; headers: string[] }, label: string): Promise<ProbeExchange> {
    return {
      origin,
      simple: await this.simple(origin, `${label}: actual request`),
      preflight: await this.preflight(origin, ask.method, ask.headers, `${label}: preflight`),
    };
  }
}

function requestOrigin(exchange: Exchange): string | undefined {
  return Object.entries(exchange.request.headers).find(([name]) => name.toLowerCase() === 'origin')?.[1];
}

function exchangesOf(probes: ProbeExchange[]): Exchange[] {
  return probes.flatMap((p) => [p.simple, p.preflight]);
}

function probeData(probes: ProbeExchange[]) {
  return {
    probes: probes.map((p) => ({
      origin: p.origin,
      simpleStatus: p.simple.response?.status,
      preflightStatus: p.preflight.response?.status,
      simple: describeCors(p.simple),
      preflight: describeCors(p.preflight),
    })),
  };
}

export const corsKind: CheckKind<CorsSpec> = {
  kind: 'cors',
  description:
    'CORS policy: bypass origins (reflected, null, prefix, suffix, substring, regex dot, subdomain, http, special characters, third-party hosting), wildcards, preflight reflection, Vary, positive controls.',
  properties: corsProperties,

  defaultTitle: () => 'the CORS policy allows exactly the listed origins',

  validate(spec, context) {
    const issues: SpecIssue[] = validateRequest(spec.request, context);
    (spec.allowedOrigins ?? []).forEach((origin, i) => {
      if (!isOrigin(origin)) issues.push({ path: ['allowedOrigins', i], code: 'E_BAD_ORIGIN', message: `'${origin}' is not an origin`, hint: 'write scheme://host[:port], without a path' });
    });
    (spec.thirdPartyOrigins ?? []).forEach((origin, i) => {
      if (!isOrigin(origin)) issues.push({ path: ['thirdPartyOrigins', i], code: 'E_BAD_ORIGIN', message: `'${origin}' is not an origin`, hint: 'write scheme://host[:port]' });
    });
    if (spec.probeBase !== undefined && (!isOrigin(spec.probeBase) || spec.probeBase === 'null')) {
      issues.push({ path: ['probeBase'], code: 'E_BAD_ORIGIN', message: `'${spec.probeBase}' is not an http(s) origin` });
    }
    return issues;
  },

  async run(ctx, spec) {
    const selected = new Set<CorsCase>(spec.cases ?? CORS_CASES);
    const request = await toRequestSpec(spec.request ?? {}, ctx.check.source?.file);
    const ask = { method: (spec.preflight?.method ?? 'POST').toUpperCase(), headers: spec.preflight?.headers ?? ['content-type'] };
    const allowed = spec.allowedOrigins ?? [];
    const base = spec.probeBase ?? allowed[0] ?? new URL(ctx.profile.baseUrl).origin;
    const random = randomBytes(4).toString('hex');
    const prober = new Prober(ctx, request);
    const severityOf = (name: CorsCase) => spec.severities?.[name] ?? DEFAULT_SEVERITY[name];
    const info = (name: CorsCase, title: string, suffix: string = name): CaseInfo => ({ suffix, title, severity: severityOf(name) });
    const outcomes: CheckOutcome[] = [];

    ctx.progress('request without Origin');
    const noOrigin = await prober.simple(undefined, 'no Origin');
    const positives: ProbeExchange[] = [];
    for (const origin of allowed) {
      ctx.progress(`allowed origin ${origin}`);
      positives.push(await prober.both(origin, ask, `allowed origin ${origin}`));
    }
    const credentialed = positives.some((p) => allowsCredentials(p.simple) || allowsCredentials(p.preflight));

    if (selected.has('allowed-origin')) {
      positives.forEach((p, i) => {
        const c = info('allowed-origin', `the allowed origin ${p.origin} gets working CORS (actual request and preflight)`, `allowed-origin-${i + 1}`);
        const failure = transportFailure([p.simple, p.preflight]);
        if (failure) return outcomes.push(caseErrored(c, describeTransport(failure), [p.simple, p.preflight]));
        outcomes.push(caseFromAssertions(c, allowedOriginAssertions(p, ask, spec.credentials), [p.simple, p.preflight], `allowed: ${probeSummary(p)}`, { data: probeData([p]) }));
      });
      if (allowed.length === 0) outcomes.push(caseSkipped(info('allowed-origin', 'each allowed origin gets working CORS'), 'no allowedOrigins configured: nothing to confirm'));
    }

    if (selected.has('no-origin')) {
      const c = info('no-origin', 'a request without an Origin header gets no origin-specific CORS headers');
      if (noOrigin.transport) outcomes.push(caseErrored(c, describeTransport(noOrigin), [noOrigin]));
      else {
        const acao = allowOrigin(noOrigin);
        outcomes.push(
          caseFromAssertions(
            c,
            [{ name: 'no Access-Control-Allow-Origin', passed: acao === undefined || acao.trim() === '*', expected: 'absent (or the static *)', actual: acao ?? '(absent)' }],
            [noOrigin],
            acao === undefined ? `HTTP ${noOrigin.response!.status}, no CORS headers` : `HTTP ${noOrigin.response!.status}, the static Access-Control-Allow-Origin: * (see the wildcard case)`,
          ),
        );
      }
    }

    for (const probe of bypassProbes(base, random, spec.thirdPartyOrigins)) {
      if (!selected.has(probe.name)) continue;
      const title = probe.title;
      if (probe.skip) {
        outcomes.push(caseSkipped(info(probe.name, title), probe.skip));
        continue;
      }
      ctx.progress(`probe ${probe.name}`);
      const observed: ProbeExchange[] = [];
      for (const origin of probe.origins) observed.push(await prober.both(origin, ask, `${probe.name} ${origin}`));
      const exchanges = exchangesOf(observed);
      const reflecting = observed.flatMap((p) => [p.simple, p.preflight].filter((e) => grantsOrigin(e, p.origin)));
      const withCredentials = reflecting.length ? reflecting.some(allowsCredentials) : credentialed;
      const severity = spec.severities?.[probe.name] ?? (withCredentials ? (spec.bypassSeverity?.withCredentials ?? 'high') : (spec.bypassSeverity?.withoutCredentials ?? 'medium'));
      const c: CaseInfo = { suffix: probe.name, title, severity };
      const failure = transportFailure(exchanges);
      if (failure) {
        outcomes.push(caseErrored(c, describeTransport(failure), exchanges));
        continue;
      }
      const notes = exchanges.some(isWildcard) ? ['answered Access-Control-Allow-Origin: * (judged by the wildcard case)'] : [];
      outcomes.push(
        caseFromAssertions(c, observed.map(bypassAssertion), exchanges, `refused: ${observed.map((p) => `${p.origin} (${probeSummary(p)})`).join('; ')}`, {
          notes,
          data: probeData(observed),
        }),
      );
    }

    let methodProbe: Exchange | undefined;
    let headerProbe: Exchange | undefined;
    const reflectionOrigin = allowed[0];
    const probeMethod = 'GAUNTLETPROBE';
    const probeHeader = `x-gauntlet-probe-${random}`;
    if (reflectionOrigin !== undefined) {
      ctx.progress('preflight reflection');
      if (selected.has('preflight-method-reflection')) methodProbe = await prober.preflight(reflectionOrigin, probeMethod, [], 'method reflection');
      if (selected.has('preflight-header-reflection')) headerProbe = await prober.preflight(reflectionOrigin, 'GET', [probeHeader], 'header reflection');
    }
    const reflectionCase = (name: 'preflight-method-reflection' | 'preflight-header-reflection', what: string, exchange: Exchange | undefined, allowedFn: (e: Exchange) => boolean, listHeader: string) => {
      const c = info(name, `a preflight does not allow an arbitrary requested ${what}`);
      if (!selected.has(name)) return;
      if (!exchange) return outcomes.push(caseSkipped(c, 'no allowedOrigins configured: a reflection only matters for an origin that is allowed'));
      if (exchange.transport) return outcomes.push(caseErrored(c, describeTransport(exchange), [exchange]));
      const granted = grantsOrigin(exchange, reflectionOrigin!) || isWildcard(exchange);
      outcomes.push(
        caseFromAssertions(
          c,
          [{ name: `${what} not reflected`, passed: !(granted && allowedFn(exchange)), expected: `the fixed list, without the requested ${what}`, actual: `${exchange.response!.status}, ${listHeader}: ${responseHeader(exchange, listHeader) ?? '(absent)'}` }],
          [exchange],
          `HTTP ${exchange.response!.status}; ${listHeader}: ${responseHeader(exchange, listHeader) ?? '(absent)'}`,
        ),
      );
    };
    reflectionCase('preflight-method-reflection', 'method', methodProbe, (e) => methodAllowed(e, probeMethod), 'access-control-allow-methods');
    reflectionCase('preflight-header-reflection', 'header', headerProbe, (e) => headerAllowed(e, probeHeader), 'access-control-allow-headers');

    const answered = prober.all.filter((e) => e.response);
    if (selected.has('wildcard')) {
      const wild = answered.filter(isWildcard);
      outcomes.push(
        caseFromAssertions(
          info('wildcard', 'no response allows every origin with Access-Control-Allow-Origin: *'),
          [{ name: 'no wildcard origin', passed: wild.length === 0, expected: 'no Access-Control-Allow-Origin: *', actual: `${wild.length} of ${answered.length} responses said *` }],
          wild.length ? wild.slice(0, 2) : [],
          `none of ${answered.length} responses said Access-Control-Allow-Origin: *`,
        ),
      );
    }
    if (selected.has('wildcard-credentials')) {
      const both = answered.filter((e) => isWildcard(e) && allowsCredentials(e));
      outcomes.push(
        caseFromAssertions(
          info('wildcard-credentials', 'no response combines Access-Control-Allow-Origin: * with credentials'),
          [{ name: 'no wildcard with credentials', passed: both.length === 0, expected: 'never * together with Access-Control-Allow-Credentials: true', actual: `${both.length} of ${answered.length} responses did` }],
          both.slice(0, 2),
          `none of ${answered.length} responses combined * with credentials`,
        ),
      );
    }
    if (selected.has('vary-origin')) {
      const c = info('vary-origin', 'responses whose CORS headers depend on the Origin say Vary: Origin');
      const staticAnswer = noOrigin.response ? allowOrigin(noOrigin) : undefined;
      // Dynamic: the response echoed the request's own Origin, and says something else without one.
      const dynamic = answered.filter((e) => {
        const origin = requestOrigin(e);
        return origin !== undefined && grantsOrigin(e, origin) && allowOrigin(e) !== staticAnswer;
      });
      if (dynamic.length === 0) {
        outcomes.push(caseFromAssertions(c, [], [], 'no response echoed its Origin, so no Vary: Origin is needed'));
      } else {
        const missing = dynamic.filter((e) => !varyCoversOrigin(e));
        outcomes.push(
          caseFromAssertions(
            c,
            [{ name: 'Vary covers Origin', passed: missing.length === 0, expected: 'Vary: Origin on every response that echoes its Origin', actual: missing.length ? `${missing.length} of ${dynamic.length} lacked it (e.g. ${missing[0]!.label}: Vary ${responseHeader(missing[0], 'vary') ?? '(absent)'})` : 'all had it' }],
            (missing.length ? missing : dynamic).slice(0, 2),
            `all ${dynamic.length} responses that echoed their Origin said Vary: Origin`,
          ),
        );
      }
    }
    return outcomes;
  },
};
