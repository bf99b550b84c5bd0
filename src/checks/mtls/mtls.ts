import { CLIENT_ROLES } from '../../pki/roles.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { parseDuration } from '../../util/duration.js';
import { stopReason } from '../../engine/stop-reason.js';
import { compileJsonPath, JsonPathError } from '../../util/json-path.js';
import { deadlineOf, sequential } from '../bounds.js';
import { narrowListed } from '../cases.js';
import { validateRequest } from '../request.js';
import type { CheckContext, CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { MTLS_CASES, type MtlsCase } from './cases.js';
import { combineVersions, type VersionPart } from './combine.js';
import { caseIdentity, runCaseOver, type SharedState, type VersionState } from './run-case.js';
import { MTLS_VERSIONS, mtlsProperties, type MtlsSpec, type MtlsVersion } from './spec.js';
import { versionAvailability } from './versions.js';
import { whoamiSpec } from './whoami.js';

const selectedCases = (spec: MtlsSpec): MtlsCase[] => MTLS_CASES.filter((c) => !spec.cases || spec.cases.includes(c.name));
const versionsOf = (spec: MtlsSpec): MtlsVersion[] => spec.tlsVersions ?? [...MTLS_VERSIONS];
/** Why a case did not run: the run was interrupted, or the watchdog stopped the check. */
const notRun = (ctx: CheckContext) => `not run: ${stopReason(ctx.signal)}`;

export const mtlsKind: CheckKind<MtlsSpec> = {
  kind: 'mtls',
  description: 'The client-certificate matrix against a protected path, over TLS 1.2 and 1.3: every bad certificate rejected, valid ones served.',
  properties: mtlsProperties,

  defaultTitle: (spec) => `${spec.path ?? '/'} enforces mutual TLS`,

  // Per version: one ClientHello to see it offered, one request per case, a whoami for each identity that must be
  // served, and the valid control (with its whoami) run unreported when the selection leaves it out.
  bounds(spec, context) {
    const cases = selectedCases(spec);
    const whoami = spec.whoami === undefined ? 0 : cases.filter((c) => c.expect === 'accepted').length;
    const control = cases.some((c) => c.name === 'valid') ? 0 : spec.whoami === undefined ? 1 : 2;
    return sequential(versionsOf(spec).length * (1 + cases.length + whoami + control), deadlineOf(spec.timeout, context));
  },

  // One per selected case whatever the profile holds: a case without its identity is reported as skipped.
  plannedCases: (spec) => selectedCases(spec).map((c) => ({ suffix: c.name, title: c.title })),

  narrowToCases: narrowListed<MtlsSpec>('cases'),

  validate(spec, context) {
    const issues: SpecIssue[] = validateRequest({ key: spec.key }, context, []);
    for (const role of Object.keys(spec.identities ?? {})) {
      if ((CLIENT_ROLES as readonly string[]).includes(role)) continue;
      const suggestion = didYouMean(role, [...CLIENT_ROLES]);
      issues.push({
        path: ['identities', role],
        code: 'E_UNKNOWN_ROLE',
        message: `'${role}' is not an mTLS role`,
        hint: suggestion ? `did you mean '${suggestion}'?` : `roles: ${CLIENT_ROLES.join(', ')}`,
      });
    }
    const json = spec.whoami === undefined ? undefined : whoamiSpec(spec.whoami).json;
    if (json !== undefined) {
      try {
        compileJsonPath(json);
      } catch (error) {
        if (!(error instanceof JsonPathError)) throw error;
        issues.push({ path: ['whoami', 'json'], code: 'E_BAD_JSONPATH', message: error.message });
      }
    }
    return issues;
  },

  /** One result per selected case, always (ids `<check id>.<case>`), each covering every version in `tlsVersions`. */
  async run(ctx, spec) {
    const selected = selectedCases(spec);
    const result = (testCase: MtlsCase, outcome: Omit<CheckOutcome, 'idSuffix' | 'title'>): CheckOutcome => ({ idSuffix: testCase.name, title: testCase.title, ...outcome });
    if (!ctx.profile.baseUrl.startsWith('https:')) {
      const message = `the target ${ctx.profile.baseUrl} is not https://: mutual TLS cannot be tested`;
      return selected.map((c) => result(c, { status: 'errored', message, evidence: {} }));
    }
    const runnable = selected.filter((c) => !caseIdentity(ctx, spec, c).missing);
    const parts = new Map<string, VersionPart[]>(runnable.map((c) => [c.name, []]));
    const shared: SharedState = { protectedBody: spec.protectedBody };
    const timeoutMs = (spec.timeout === undefined ? undefined : parseDuration(spec.timeout)) ?? ctx.options.timeoutMs;
    for (const version of runnable.length ? versionsOf(spec) : []) {
      ctx.progress(`is ${version} offered?`);
      const available = ctx.signal.aborted ? { offered: false as const, status: 'errored' as const, message: notRun(ctx) } : await versionAvailability(ctx, version, timeoutMs);
      if (!available.offered) {
        const { status, message, transport } = available;
        for (const c of runnable) parts.get(c.name)!.push({ version, status, message, ...(transport ? { transport } : {}), exchanges: [] });
        continue;
      }
      for (const [name, part] of await runMatrix(ctx, spec, runnable, version, shared)) parts.get(name)!.push(part);
    }
    return selected.map((c) => {
      const missing = caseIdentity(ctx, spec, c).missing;
      return result(c, missing ? { status: 'skipped', message: missing, evidence: {} } : combineVersions(parts.get(c.name)!));
    });
  },
};

/** The selected cases over one version, each once, with the positive control that TLS-layer rejections need. */
async function runMatrix(ctx: CheckContext, spec: MtlsSpec, cases: MtlsCase[], version: MtlsVersion, shared: SharedState): Promise<Map<string, VersionPart>> {
  const state: VersionState = {};
  const parts = new Map<string, VersionPart>();
  const tlsRejections: VersionPart[] = [];
  for (const testCase of cases) {
    if (ctx.signal.aborted) {
      parts.set(testCase.name, { version, status: 'errored', message: notRun(ctx), exchanges: [] });
      continue;
    }
    ctx.progress(`${version}: ${testCase.title}`);
    const part = await runCaseOver(ctx, spec, testCase, version, shared, state);
    if (testCase.expect === 'rejected' && part.status === 'passed' && part.refusal?.layer === 'tls') tlsRejections.push(part);
    parts.set(testCase.name, part);
  }
  // A connection that ends at the TLS layer is how a refused certificate looks, and also how a broken server
  // looks. Such a "rejection" proves something only if an allowed identity is served over the same version: when
  // the selected cases left the control out, it is run anyway (not reported).
  if (tlsRejections.length > 0 && !state.controlRan && !ctx.signal.aborted) {
    await runCaseOver(ctx, spec, MTLS_CASES.find((c) => c.name === 'valid')!, version, shared, state);
  }
  if (!state.controlServed) {
    const why = state.controlRan ? 'no allowed identity was served over this TLS version either' : "the profile has no 'valid' identity to show that any certificate is served";
    for (const part of tlsRejections) {
      part.status = 'errored';
      part.message = `${part.message}, but ${why}: this rejection proves nothing about this certificate`;
    }
  }
  return parts;
}
