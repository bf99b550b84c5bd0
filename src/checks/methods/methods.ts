import type { AssertionResult } from '../../results/model.js';
import { deadlineOf, sequential } from '../bounds.js';
import type { CaseInfo } from '../cases.js';
import { caseErrored, caseFromAssertions } from '../cases.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome } from '../types.js';
import { methodsProperties, SAFE_METHODS, TRIED_METHODS, type MethodsSpec } from './spec.js';

function triedMethods(spec: MethodsSpec): string[] {
  const declared = new Set(spec.declared.map((m) => m.toUpperCase()));
  return (spec.try ?? TRIED_METHODS.filter((m) => !declared.has(m))).map((m) => m.toUpperCase());
}

function caseOf(spec: MethodsSpec, method: string): CaseInfo {
  const title = method === 'TRACE' ? 'TRACE is not served (it would echo requests back: cross-site tracing)' : `${method}, which the path does not declare, is refused (405)`;
  return { suffix: method.toLowerCase(), title, severity: spec.severities?.[method.toLowerCase()] as CaseInfo['severity'] };
}

/** 405 is the answer RFC 9110 asks for; another refusal (404, 400, 401, 403, 501) does no harm. */
function judge(method: string, status: number): AssertionResult[] {
  const refused = status === 405 || status === 501 || (status >= 400 && status < 500 && status !== 429);
  return [{ name: `${method} refused`, passed: refused, expected: '405 (or another refusal: 4xx, 501)', actual: describe(method, status) }];
}

function describe(method: string, status: number): string {
  if (status >= 200 && status < 300) return method === 'TRACE' ? `${status}: TRACE is served` : `${status}: the path serves ${method}, which its documentation does not declare`;
  if (status >= 500) return `${status}: the server failed on a method it does not declare`;
  return String(status);
}

/**
 * Methods a path does not declare are refused: an undocumented DELETE that works is a function nobody audits
 * (OWASP API9), and TRACE echoes requests back. Unsafe methods change data when the target wrongly serves them,
 * so such a check runs only when the profile allows mutations.
 */
export const methodsKind: CheckKind<MethodsSpec> = {
  kind: 'methods',
  description: 'Methods a path does not declare (and TRACE) are refused, with 405.',
  properties: methodsProperties,
  required: ['request', 'declared'],

  defaultTitle: (spec) => `${spec.request.path ?? '/'} refuses the methods it does not declare`,

  bounds: (spec, context) => sequential(triedMethods(spec).length, deadlineOf(spec.request.timeout, context)),

  plannedCases: (spec) => triedMethods(spec).map((m) => caseOf(spec, m)),

  // A case is a method (its suffix in lower case): the narrowed spec tries only those.
  narrowToCases: (spec, suffixes) => ({ ...spec, try: suffixes.map((s) => s.toUpperCase()) }),

  mutates: (spec) => triedMethods(spec).some((m) => !SAFE_METHODS.has(m)),

  validate: (spec, context) => validateRequest(spec.request, context),

  async run(ctx, spec) {
    const base = await toRequestSpec(spec.request, ctx.check.source?.file);
    const outcomes: CheckOutcome[] = [];
    for (const method of triedMethods(spec)) {
      const info = caseOf(spec, method);
      const { exchange } = await ctx.http.send({ ...base, method, label: method });
      if (!exchange.response) {
        outcomes.push(caseErrored(info, `${method}: ${exchange.transport?.class ?? 'no answer'}: ${exchange.transport?.message ?? ''}`.trim(), [exchange]));
        continue;
      }
      const status = exchange.response.status;
      const allow = exchange.response.headers.allow;
      const assertions = judge(method, status);
      // A 405 should say what is allowed (RFC 9110 section 15.5.6): a missing Allow header is named, not failed.
      const note = status === 405 && !allow ? ' (without the Allow header RFC 9110 asks for)' : '';
      outcomes.push(caseFromAssertions(info, assertions, [exchange], `${method} was refused with ${status}${note}`));
    }
    return outcomes;
  },
};
