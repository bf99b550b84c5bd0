import { randomBytes } from 'node:crypto';
import { countsText } from '../tally.js';
import type { RequestSpec } from '../../engine/http-client.js';
import type { AssertionResult, Exchange, Severity } from '../../results/model.js';
import type { TargetProfile } from '../../scenario/types.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { GauntletError } from '../../util/errors.js';
import { deadlineOf, sequential } from '../bounds.js';
import { caseErrored, caseFromAssertions, caseSkipped, describeTransport, narrowListed, type CaseInfo } from '../cases.js';
import { toRequestSpec, validateRequest } from '../request.js';
import { headerCount, responseHeader } from '../response-headers.js';
import type { CheckContext, CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { CLASS_TITLES, is2xx, mismatch } from './expected-answers.js';
import { parseHsts } from './hsts.js';
import { burstSettings, burstUntil429, coolDown } from './provoke.js';
import { resolveRules } from './class-rules.js';
import { protectiveHeaderAssertions, REFERRER_POLICIES, versionLeakAssertions } from './rules.js';
import { HEADERS_CASES, headersProperties, RESPONSE_CLASSES, type HeadersCase, type HeadersSpec, type ResponseClass } from './spec.js';

const SIX_MONTHS = 15_552_000;

const TITLES: Record<HeadersCase, string> = {
  ...CLASS_TITLES,
  hsts: 'HTTPS responses carry one valid Strict-Transport-Security header',
  'hsts-max-age': 'HSTS max-age is at least 180 days (a year or more recommended)',
  'no-version-leak': 'no response names the server software or its version (Server, X-Powered-By, X-AspNet-Version)',
};

/** A case's title and its severity unless the scenario says otherwise (a version leak weighs little). */
function caseInfo(spec: HeadersSpec, name: HeadersCase): CaseInfo {
  return { suffix: name, title: TITLES[name], severity: spec.severities?.[name] ?? (name === 'no-version-leak' ? 'low' : undefined) };
}
const ONE_YEAR = 31_536_000;

interface Provoked {
  cls: ResponseClass;
  /** Why there is nothing to judge: turned off or not configured. */
  off?: string;
  /** Why it could not even be tried (the load guard refused the burst). */
  error?: string;
  exchange?: Exchange;
  authenticated: boolean;
  /** How the exchange came about, for a skip message. */
  how: string;
  notes: string[];
}

/** The request in a message; it names the credentials left out only when the profile has some of that kind. */
function describeRequest(request: RequestSpec, profile: TargetProfile): string {
  const without = [request.key === 'none' && profile.keys.size > 0 ? 'API key' : '', request.identity === 'none' && profile.tls.identities.size > 0 ? 'client certificate' : ''].filter(Boolean);
  return `${(request.method ?? 'GET').toUpperCase()} ${request.path ?? '/'}${without.length ? ` without ${without.join(' or ')}` : ''}`;
}

async function provoke(ctx: CheckContext, spec: HeadersSpec, selected: Set<HeadersCase>): Promise<Provoked[]> {
  const file = ctx.check.source?.file;
  const responses = spec.responses ?? {};
  const success = await toRequestSpec(responses.success?.request ?? {}, file);
  const out: Provoked[] = [];
  for (const cls of RESPONSE_CLASSES) {
    const config = responses[cls];
    const authenticated = (config ? config.authenticated : undefined) ?? cls === 'success';
    // The success response is the baseline of the HSTS and leak cases too: always fetched.
    if (!selected.has(cls) && cls !== 'success') continue;
    if (config === false) {
      out.push({ cls, off: `turned off in the scenario (responses.${cls}: false)`, authenticated, how: '', notes: [] });
      continue;
    }
    let request: RequestSpec;
    if (config?.request) request = await toRequestSpec(config.request, file);
    // Without credentials of any kind: no API key and no client certificate.
    else if (cls === 'unauthorized') request = { ...success, key: 'none', identity: 'none' };
    else if (cls === 'not-found') request = { ...success, method: 'GET', body: undefined, path: `/gauntlet-no-such-path-${randomBytes(4).toString('hex')}` };
    else request = success;

    if (cls === 'rate-limited') {
      if (config === undefined) {
        out.push({ cls, off: 'not configured: add responses.rate-limited (a request and a burst) to provoke a 429', authenticated, how: '', notes: [] });
        continue;
      }
      const burst = (config as { burst?: Parameters<typeof burstUntil429>[2] }).burst;
      ctx.progress('provoking a 429');
      let result: Awaited<ReturnType<typeof burstUntil429>>;
      try {
        result = await burstUntil429(ctx, request, burst);
      } catch (error) {
        if (!(error instanceof GauntletError)) throw error;
        out.push({ cls, error: `${error.message} [${error.code}]`, authenticated, how: '', notes: [] });
        continue;
      }
      const summary = `${result.sent} × ${describeRequest(request, ctx.profile)} in ${Math.round(result.elapsedMs)}ms (${countsText(Object.entries(result.statuses))})`;
      const notes = [`burst: ${summary}`];
      if (result.limited) {
        const waited = await coolDown(ctx, result.limited, burst);
        if (waited) notes.push(`waited ${Math.round(waited)}ms (Retry-After) before going on`);
      }
      out.push({ cls, exchange: result.limited ?? result.transportOnly, authenticated, how: summary, notes });
      continue;
    }
    const { exchange } = await ctx.http.send({ ...request, label: `${cls} response` });
    out.push({ cls, exchange, authenticated, how: describeRequest(request, ctx.profile), notes: [] });
  }
  treatPublicSuccessAsPublic(out, responses.success?.authenticated);
  return out;
}

/**
 * Unless the scenario says, a success is judged as an authenticated answer (no-store) only when its request needs
 * credentials: when the same request without any was served too, the answer is public, and caches may keep it.
 */
function treatPublicSuccessAsPublic(provoked: Provoked[], declared: boolean | undefined): void {
  if (declared !== undefined) return;
  const success = provoked.find((p) => p.cls === 'success');
  const unauthorized = provoked.find((p) => p.cls === 'unauthorized');
  const path = (p: Provoked | undefined) => (p?.exchange ? new URL(p.exchange.request.url).pathname : undefined);
  if (!success || !unauthorized?.exchange?.response || !is2xx(unauthorized.exchange.response.status) || path(success) !== path(unauthorized)) return;
  success.authenticated = false;
  success.notes.push('judged as a public answer: the same request without credentials was served too, so caches may keep it (no Cache-Control: no-store needed)');
}

function hstsOutcomes(spec: HeadersSpec, success: Provoked | undefined, selected: Set<HeadersCase>): CheckOutcome[] {
  const hstsInfo = caseInfo(spec, 'hsts');
  const maxAgeInfo = caseInfo(spec, 'hsts-max-age');
  const skipBoth = (reason: string) => [hstsInfo, maxAgeInfo].filter((c) => selected.has(c.suffix as HeadersCase)).map((c) => caseSkipped(c, reason));
  const requirement = spec.require?.hsts;
  if (requirement === false) return skipBoth('turned off in the scenario (require.hsts: false)');
  const exchange = success?.exchange;
  if (!exchange?.response || !is2xx(exchange.response.status)) return skipBoth('no successful response to judge (see the success case)');
  const url = new URL(exchange.request.url);
  if (url.protocol !== 'https:') {
    return skipBoth(`HSTS only applies to HTTPS and browsers ignore it over plain HTTP (RFC 6797 §8.1); the target is ${url.origin}`);
  }
  const out: CheckOutcome[] = [];
  const value = responseHeader(exchange, 'strict-transport-security');
  const count = headerCount(exchange, 'strict-transport-security');
  const policy = value === undefined ? undefined : parseHsts(value);
  if (selected.has('hsts')) {
    const assertions: AssertionResult[] = [
      { name: 'Strict-Transport-Security present', passed: value !== undefined, expected: 'present', actual: value ?? '(absent)' },
    ];
    if (value !== undefined) {
      assertions.push({ name: 'a single Strict-Transport-Security header', passed: count === 1, expected: '1 header', actual: `${count} headers` });
      assertions.push({ name: 'valid HSTS syntax', passed: policy!.problems.length === 0, expected: 'max-age=<seconds>[; includeSubDomains][; preload]', actual: policy!.problems.join('; ') || value });
    }
    out.push(caseFromAssertions(hstsInfo, assertions, [exchange], `Strict-Transport-Security: ${value}`));
  }
  if (selected.has('hsts-max-age')) {
    if (policy?.maxAge === undefined) {
      out.push(caseSkipped(maxAgeInfo, 'no Strict-Transport-Security max-age to measure (see the hsts case)', [exchange]));
      return out;
    }
    const min = requirement?.minMaxAge ?? SIX_MONTHS;
    const recommended = requirement?.recommendedMaxAge ?? ONE_YEAR;
    const assertions: AssertionResult[] = [
      { name: 'max-age is long enough', passed: policy.maxAge >= recommended, expected: `>= ${recommended}s (failing below ${min}s; low below ${recommended}s)`, actual: `${policy.maxAge}s` },
    ];
    if (requirement?.includeSubDomains) assertions.push({ name: 'includeSubDomains', passed: policy.includeSubDomains, expected: 'includeSubDomains', actual: value! });
    if (requirement?.preload) assertions.push({ name: 'preload', passed: policy.preload, expected: 'preload', actual: value! });
    const onlyShortOfRecommended = policy.maxAge >= min && policy.maxAge < recommended && assertions.slice(1).every((a) => a.passed);
    const severity: Severity | undefined = onlyShortOfRecommended && spec.severities?.['hsts-max-age'] === undefined ? 'low' : maxAgeInfo.severity;
    out.push(caseFromAssertions({ ...maxAgeInfo, severity }, assertions, [exchange], `max-age=${policy.maxAge}s`));
  }
  return out;
}

export const headersKind: CheckKind<HeadersSpec> = {
  kind: 'headers',
  // A 429 is provoked with a burst: nothing else may be in flight meanwhile.
  exclusive: true,
  description: 'Security response headers (HSTS, nosniff, framing, Referrer-Policy, Cache-Control, Content-Type, version leaks) on a success, the refusal of a request without credentials, a 404 and a 429, with rules per class of answer.',
  properties: headersProperties,

  defaultTitle: () => 'responses carry the security headers',

  // Each selected case reports, in this order (run sorts them so).
  plannedCases: (spec) => HEADERS_CASES.filter((name) => !spec.cases || spec.cases.includes(name)).map((name) => caseInfo(spec, name)),

  narrowToCases: narrowListed<HeadersSpec>('cases'),

  // The success (always), the 401 and 404 when selected, and the burst to a 429 when configured: at most `max`
  // requests started within `within`, the last ones finishing within their deadline, then the cool-down.
  bounds(spec, context) {
    const selected = new Set<HeadersCase>(spec.cases ?? HEADERS_CASES);
    const responses = spec.responses ?? {};
    const deadline = Math.max(...RESPONSE_CLASSES.map((cls) => deadlineOf(responses[cls] ? (responses[cls] as { request?: { timeout?: string | number } }).request?.timeout : undefined, context)));
    const singles = 1 + (['unauthorized', 'not-found'] as const).filter((cls) => selected.has(cls) && responses[cls] !== false).length;
    const rateLimited = responses['rate-limited'];
    if (!selected.has('rate-limited') || !rateLimited) return sequential(singles, deadline);
    const burst = burstSettings(rateLimited.burst);
    return sequential(singles, deadline, burst.withinMs + deadline + burst.cooldownMaxMs, {
      requests: singles + burst.max,
      concurrent: true,
      smaller: 'responses.rate-limited: false (or cases without rate-limited) leaves the burst out',
    });
  },

  validate(spec, context) {
    const issues: SpecIssue[] = [];
    for (const cls of RESPONSE_CLASSES) {
      const config = spec.responses?.[cls];
      if (config && config.request) issues.push(...validateRequest(config.request, context, ['responses', cls, 'request']));
    }
    const ruleSets: [string[], { referrerPolicy?: false | string[] } | undefined][] = [
      [['require'], spec.require],
      ...Object.entries(spec.classes ?? {}).map(([cls, rules]): [string[], typeof rules] => [['classes', cls], rules]),
    ];
    for (const [path, rules] of ruleSets) {
      (rules?.referrerPolicy || []).forEach((p, i) => {
        if (!REFERRER_POLICIES.includes(p)) {
          const suggestion = didYouMean(p, REFERRER_POLICIES);
          issues.push({ path: [...path, 'referrerPolicy', i], code: 'E_BAD_VALUE', message: `'${p}' is not a referrer policy`, hint: suggestion ? `did you mean '${suggestion}'?` : `one of ${REFERRER_POLICIES.join(', ')}` });
        }
      });
    }
    const hsts = spec.require?.hsts;
    if (hsts && hsts.minMaxAge !== undefined && hsts.recommendedMaxAge !== undefined && hsts.minMaxAge > hsts.recommendedMaxAge) {
      issues.push({ path: ['require', 'hsts', 'minMaxAge'], code: 'E_BAD_VALUE', message: 'minMaxAge is above recommendedMaxAge' });
    }
    return issues;
  },

  async run(ctx, spec) {
    const selected = new Set<HeadersCase>(spec.cases ?? HEADERS_CASES);
    const { hsts: _hsts, ...base } = spec.require ?? {};
    const rulesFor = (p: Provoked) => resolveRules(base, spec.classes, p.exchange!.response!.status, p.cls);
    const provoked = await provoke(ctx, spec, selected);
    const outcomes: CheckOutcome[] = [];

    for (const p of provoked) {
      if (!selected.has(p.cls)) continue;
      const c = caseInfo(spec, p.cls);
      if (p.off) {
        outcomes.push(caseSkipped(c, p.off));
        continue;
      }
      if (p.error) {
        outcomes.push(caseErrored(c, p.error));
        continue;
      }
      const exchange = p.exchange;
      if (!exchange) {
        outcomes.push(caseSkipped(c, `could not provoke a 429: ${p.how}`));
        continue;
      }
      if (exchange.transport) {
        const t = exchange.transport;
        // A handshake (or first read) refused for want of a client certificate is a refusal with no HTTP answer:
        // nothing to judge headers on, and nothing wrong with the check.
        if (p.cls === 'unauthorized' && t.class === 'tls-rejected') {
          outcomes.push(caseSkipped(c, `the TLS layer refused ${p.how} before any HTTP answer (${t.code}), so there are no response headers to judge; the refusal itself is for the mtls kind to judge`, [exchange]));
        } else {
          outcomes.push(caseErrored(c, describeTransport(exchange), [exchange]));
        }
        continue;
      }
      const why = mismatch(p.cls, exchange, p.how);
      if (why) {
        // Without a success there is no baseline at all: that is a broken scenario, not a skip.
        outcomes.push(p.cls === 'success' ? caseErrored(c, `${why}; fix responses.success.request`, [exchange]) : caseSkipped(c, why, [exchange]));
        continue;
      }
      const status = exchange.response!.status;
      const { rules, applied } = rulesFor(p);
      const assertions = protectiveHeaderAssertions(exchange, rules, p.authenticated);
      const notes = [...p.notes, ...(applied.length ? [`header rules: require, then ${applied.join(', then ')}`] : [])];
      if (assertions.length === 0) {
        // Every rule off for this answer: a pass would prove nothing.
        outcomes.push(caseSkipped(c, `no header rule applies to this HTTP ${status} answer (${applied.length ? `turned off by ${applied.join(', ')}` : 'every rule is turned off under require'})`, [exchange]));
        continue;
      }
      const what = p.cls === 'unauthorized' ? `HTTP ${status} to ${p.how}` : `HTTP ${status}`;
      outcomes.push(caseFromAssertions(c, assertions, [exchange], `${what}: ${assertions.length} header rule(s) met`, { notes }));
    }

    outcomes.push(...hstsOutcomes(spec, provoked.find((p) => p.cls === 'success'), selected));

    if (selected.has('no-version-leak')) {
      const c = caseInfo(spec, 'no-version-leak');
      const answered = provoked.filter((p) => p.exchange?.response);
      const judged = answered.filter((p) => rulesFor(p).noVersionLeak);
      if (answered.length === 0) outcomes.push(caseSkipped(c, 'no response to judge'));
      else if (judged.length === 0) {
        const off = base.noVersionLeak === false ? 'require.noVersionLeak: false' : `noVersionLeak: false for ${answered.map((p) => p.cls).join(', ')} under classes`;
        outcomes.push(caseSkipped(c, `turned off in the scenario (${off})`));
      } else {
        const assertions = judged.flatMap((p) => versionLeakAssertions(p.exchange!, p.cls));
        const leaking = judged.filter((p) => versionLeakAssertions(p.exchange!, p.cls).some((a) => !a.passed)).map((p) => p.exchange!);
        const exempt = answered.filter((p) => !judged.includes(p)).map((p) => p.cls);
        const notes = exempt.length ? [`not judged (noVersionLeak: false for their class): ${exempt.join(', ')}`] : [];
        outcomes.push(caseFromAssertions(c, assertions, leaking.length ? leaking : judged.map((p) => p.exchange!), `${judged.length} response(s) name no software version`, { notes }));
      }
    }
    // Keep the cases in a stable order: classes, HSTS, leak.
    return outcomes.sort((a, b) => HEADERS_CASES.indexOf(a.idSuffix as HeadersCase) - HEADERS_CASES.indexOf(b.idSuffix as HeadersCase));
  },
};
