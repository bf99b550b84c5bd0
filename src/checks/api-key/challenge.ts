import type { AssertionResult } from '../../results/model.js';
import { countsText, statusCounts } from '../tally.js';
import type { CheckOutcome } from '../types.js';
import { errored, header, skipped, type CaseInfo, type Probe } from './probe.js';

export const CHALLENGE_TITLE = 'every 401 answer carries a WWW-Authenticate challenge (RFC 9110 §11.6.1)';

/** At most this many answers go into the evidence: the labels of all are in the assertions. */
const EVIDENCE_CAP = 3;

/**
 * The auth-scheme that opens a WWW-Authenticate value, or undefined when it does not open with one. A challenge is
 * `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`, so the scheme is a token followed by a space, a comma (the next
 * challenge) or the end; `realm="x"` alone is an auth-param without a scheme.
 */
export function challengeScheme(value: string | undefined): string | undefined {
  const match = /^[\s,]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?=\s|,|$)/.exec(value ?? '');
  return match?.[1];
}

function labels(probes: Probe[]): string {
  const shown = probes.slice(0, 6).map((p) => p.label).join(', ');
  return probes.length > 6 ? `${shown} (+${probes.length - 6} more)` : shown;
}

/**
 * RFC 9110 §15.5.2: a server generating a 401 MUST send WWW-Authenticate with at least one challenge. Judged over
 * every 401 this check received, so the refusal cases (missing, unknown, revoked, expired) judge only the refusal.
 * Skipped when no answer was a 401 (a target refusing with 403 or 400 owes no challenge), errored when no request
 * got an answer at all.
 */
export function challengeCase(probes: Probe[]): CheckOutcome {
  const c: CaseInfo = { suffix: 'www-authenticate', title: CHALLENGE_TITLE };
  if (probes.length === 0) return skipped(c, 'the selected cases sent no request, so there is no 401 to judge');
  const answered = probes.filter((p) => p.sent.exchange.response);
  if (answered.length === 0) {
    const t = probes[0]!.sent.exchange.transport;
    const outcome = errored(c, `none of ${probes.length} requests got an HTTP answer${t ? ` (${t.class}: ${t.message})` : ''}, so no 401 could be observed`, probes.slice(0, EVIDENCE_CAP).map((p) => p.sent));
    return { ...outcome, transport: t?.class };
  }
  const unauthorized = answered.filter((p) => p.sent.exchange.response!.status === 401);
  if (unauthorized.length === 0) {
    const statuses = countsText(statusCounts(answered.map((p) => p.sent.exchange.response!.status)));
    return skipped(c, `no answer was a 401 (${answered.length} answers: ${statuses}); RFC 9110 requires a challenge on 401 only`);
  }
  const assertions: AssertionResult[] = unauthorized.map((p) => {
    const value = header(p.sent.exchange, 'www-authenticate');
    const scheme = challengeScheme(value);
    return {
      name: `${p.label}: 401 carries a challenge`,
      passed: scheme !== undefined,
      expected: 'WWW-Authenticate: <auth-scheme> [params]',
      actual: value === undefined ? '(absent)' : value.trim() === '' ? '(empty)' : scheme ? value : `${value} (no auth-scheme)`,
    };
  });
  const lacking = unauthorized.filter((_, i) => !assertions[i]!.passed);
  const unanswered = probes.length - answered.length;
  const notes = unanswered ? [`${unanswered} of ${probes.length} requests got no HTTP answer (judged by their own cases)`] : undefined;
  const base = { idSuffix: c.suffix, title: c.title, assertions };
  if (lacking.length === 0) {
    const schemes = [...new Set(unauthorized.map((p) => challengeScheme(header(p.sent.exchange, 'www-authenticate'))))].join(', ');
    return {
      ...base,
      status: 'passed',
      message: `all ${unauthorized.length} 401 answers carry a challenge (${schemes})`,
      evidence: { exchanges: unauthorized.slice(0, EVIDENCE_CAP).map((p) => p.sent.exchange), ...(notes ? { notes } : {}) },
    };
  }
  return {
    ...base,
    status: 'failed',
    message: `${lacking.length} of ${unauthorized.length} 401 answers carry no WWW-Authenticate challenge, which RFC 9110 requires: ${labels(lacking)}`,
    evidence: { exchanges: lacking.slice(0, EVIDENCE_CAP).map((p) => p.sent.exchange), ...(notes ? { notes } : {}) },
  };
}
