import { GauntletError } from '../../util/errors.js';
import type { RequestSpec } from '../../engine/http-client.js';
import type { AssertionResult, Severity } from '../../results/model.js';
import { deadlineOf, sequential } from '../bounds.js';
import { caseErrored, caseFromAssertions, caseSkipped, describeTransport, narrowListed, type CaseInfo } from '../cases.js';
import { describeStatus, statusMatches } from '../http/expect-status.js';
import { toRequestSpec, validateRequest } from '../request.js';
import { responseHeader } from '../response-headers.js';
import type { CheckContext, CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { VERSIONING_CASES, versioningProperties, type VersioningCase, type VersioningSpec } from './spec.js';

interface Probe {
  name: VersioningCase;
  suffix: string;
  title: string;
  request?: RequestSpec;
  skip?: string;
  /** The version that must be served (positive cases), or undefined for a refusal. */
  version?: string;
}

function probes(spec: VersioningSpec, base: RequestSpec): Probe[] {
  const header = spec.header === undefined ? 'API-Version' : spec.header;
  const unsupported = spec.unsupported ?? '99';
  const withHeader = (value: string): RequestSpec => ({ ...base, headers: { ...base.headers, [header as string]: value } });
  const atUrl = (version: string): RequestSpec => ({ ...base, path: spec.url!.replaceAll('{version}', version) });
  const noUrl = 'no url template configured: the API is not versioned by URL';
  const noHeader = 'header: false in the scenario: the API is not versioned by header';
  const out: Probe[] = [];
  for (const v of spec.versions) {
    out.push({ name: 'url', suffix: `url-${v}`, title: `version ${v} is served at its URL`, request: spec.url ? atUrl(v) : undefined, skip: spec.url ? undefined : noUrl, version: v });
  }
  for (const v of spec.versions) {
    out.push({ name: 'header', suffix: `header-${v}`, title: `version ${v} is served when the request header asks for it`, request: header ? withHeader(v) : undefined, skip: header ? undefined : noHeader, version: v });
  }
  out.push({ name: 'default', suffix: 'default', title: 'a request naming no version is served', request: base });
  out.push({
    name: 'unsupported-url',
    suffix: 'unsupported-url',
    title: `an unsupported version in the URL (${unsupported}) is refused, not served by another version`,
    request: spec.url ? atUrl(unsupported) : undefined,
    skip: spec.url ? undefined : noUrl,
  });
  out.push({
    name: 'unsupported-header',
    suffix: 'unsupported-header',
    title: `an unsupported version in the header (${unsupported}) is refused, not served by another version`,
    request: header ? withHeader(unsupported) : undefined,
    skip: header ? undefined : noHeader,
  });
  return out;
}

/** The selected cases, in the order they run; url and header are one case per version (url-1, header-2). */
function plannedCases(spec: VersioningSpec): CaseInfo[] {
  const selected = new Set<VersioningCase>(spec.cases ?? VERSIONING_CASES);
  return probes(spec, {})
    .filter((probe) => selected.has(probe.name))
    .map((probe) => ({ suffix: probe.suffix, title: probe.title, severity: spec.severities?.[probe.name] as Severity | undefined }));
}

async function runProbe(ctx: CheckContext, spec: VersioningSpec, probe: Probe, info: CaseInfo): Promise<CheckOutcome> {
  if (!probe.request) return caseSkipped(info, probe.skip!);
  const { exchange } = await ctx.http.send({ ...probe.request, label: probe.suffix });
  if (exchange.transport) return caseErrored(info, describeTransport(exchange), [exchange]);
  const status = exchange.response!.status;
  const assertions: AssertionResult[] = [];
  const unsupported = probe.name === 'unsupported-url' || probe.name === 'unsupported-header';
  if (unsupported) {
    const expected = spec.unsupportedStatus ?? 400;
    const served = spec.servedHeader ? responseHeader(exchange, spec.servedHeader) : undefined;
    assertions.push({
      name: 'refused',
      passed: statusMatches(expected, status),
      expected: describeStatus(expected),
      actual: `${status}${served ? ` (served as version ${served})` : ''}`,
    });
  } else {
    assertions.push({ name: 'status', passed: status >= 200 && status < 300, expected: '2xx', actual: String(status) });
    if (spec.servedHeader && probe.version !== undefined) {
      const served = responseHeader(exchange, spec.servedHeader);
      assertions.push({ name: `${spec.servedHeader} names the version served`, passed: served?.trim() === probe.version, expected: probe.version, actual: served ?? '(absent)' });
    }
  }
  const servedAs = spec.servedHeader && responseHeader(exchange, spec.servedHeader) ? `, ${spec.servedHeader}: ${responseHeader(exchange, spec.servedHeader)}` : '';
  return caseFromAssertions(info, assertions, [exchange], `${unsupported ? 'refused' : 'served'}: HTTP ${status}${servedAs}`);
}

export const versioningKind: CheckKind<VersioningSpec> = {
  kind: 'versioning',
  description: 'API versioning by URL and header: each supported version is served, an unsupported one is refused (no silent fallback).',
  properties: versioningProperties,
  required: ['versions'],

  defaultTitle: (spec) => `API versions ${spec.versions.join(', ')} are served and others refused`,

  plannedCases,

  // url-<v> and header-<v> are the url and header cases over one version each.
  narrowToCases: narrowListed<VersioningSpec>('cases', (suffix) => /^(url|header)-/.exec(suffix)?.[1] ?? suffix),

  // One request per selected case: url-<v> and header-<v> per version, default, and the two unsupported cases.
  bounds(spec, context) {
    return sequential(plannedCases(spec).length, deadlineOf(spec.request?.timeout, context));
  },

  validate(spec, context) {
    const issues: SpecIssue[] = validateRequest(spec.request, context);
    // A {{variable}} is known only when the check runs: it is checked there.
    if (spec.url !== undefined && !spec.url.includes('{version}') && !spec.url.includes('{{')) {
      issues.push({ path: ['url'], code: 'E_BAD_VALUE', message: `the url template '${spec.url}' has no {version}`, hint: 'e.g. /api/v{version}/data' });
    }
    if (spec.unsupported !== undefined && spec.versions.includes(spec.unsupported)) {
      issues.push({ path: ['unsupported'], code: 'E_BAD_VALUE', message: `'${spec.unsupported}' is listed in versions`, hint: 'name a version the API does not have' });
    }
    return issues;
  },

  async run(ctx, spec) {
    if (spec.url !== undefined && !spec.url.includes('{version}')) {
      throw new GauntletError('E_BAD_VALUE', `the url template '${spec.url}' has no {version} (e.g. /api/v{version}/data)`);
    }
    const base = await toRequestSpec(spec.request ?? {}, ctx.check.source?.file);
    const selected = new Set<VersioningCase>(spec.cases ?? VERSIONING_CASES);
    const outcomes: CheckOutcome[] = [];
    for (const probe of probes(spec, base)) {
      if (!selected.has(probe.name)) continue;
      const info: CaseInfo = { suffix: probe.suffix, title: probe.title, severity: spec.severities?.[probe.name] as Severity | undefined };
      outcomes.push(await runProbe(ctx, spec, probe, info));
    }
    return outcomes;
  },
};
