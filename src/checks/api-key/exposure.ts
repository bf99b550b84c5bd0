import type { AssertionResult } from '../../results/model.js';
import type { CheckOutcome } from '../types.js';
import { percentEncode } from '../../util/percent-encode.js';
import { skipped, transportFailure, type CaseInfo, type Probe } from './probe.js';

export const EXPOSURE_TITLES: Record<string, string> = {
  echo: 'no answer echoes the key it was sent, in its body or headers',
  'no-stack-trace': '401 and 403 answers carry no stack trace or source paths',
};

/** Shorter values (an empty key) would match by accident. */
const MIN_ECHO_LENGTH = 8;

const STACK_PATTERNS: RegExp[] = [
  /^\s+at .+[:(]\d+:\d+\)?\s*$/m,
  /node:internal\//,
  /Traceback \(most recent call last\)/,
  /\bat [\w$.]+\([\w$]+\.(java|kt|scala):\d+\)/,
  /\b[\w./-]+\.(js|ts|mjs|cjs|py|rb|php|go|java|cs):\d+\b/,
];

/** Headers and body as latin1 text: raw bytes compare byte for byte with what we sent. */
function responseText(probe: Probe): { headers: string; body: string } {
  const response = probe.sent.exchange.response!;
  const headers = Object.entries(response.headers)
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`)
    .join('\n');
  return { headers, body: probe.sent.body.toString('latin1') };
}

function echoOf(probe: Probe): string | undefined {
  const key = probe.key!;
  const forms = [key, percentEncode(key)];
  const { headers, body } = responseText(probe);
  if (forms.some((f) => body.includes(f))) return 'body';
  if (forms.some((f) => headers.includes(f))) return 'headers';
  return undefined;
}

/** Looks at every answer the matrix received for the keys it sent. */
export function echoCase(probes: Probe[]): CheckOutcome {
  const c: CaseInfo = { suffix: 'echo', title: EXPOSURE_TITLES.echo! };
  const answered = probes.filter((p) => p.key !== undefined && p.key.length >= MIN_ECHO_LENGTH && p.sent.exchange.response);
  if (answered.length === 0) return transportFailure(c, probes.map((p) => p.sent)) ?? skipped(c, 'no answered request carried a key to look for');
  const assertions: AssertionResult[] = answered.map((p) => {
    const where = echoOf(p);
    return { name: `${p.label}: key not echoed`, passed: where === undefined, expected: 'the key nowhere in the answer', actual: where ? `found in the ${where}` : 'not found' };
  });
  const echoed = answered.filter((_, i) => !assertions[i]!.passed);
  if (echoed.length === 0) {
    return { idSuffix: c.suffix, title: c.title, status: 'passed', message: `no key came back in ${answered.length} answers (bodies and headers)`, assertions, evidence: {} };
  }
  return {
    idSuffix: c.suffix,
    title: c.title,
    status: 'failed',
    message: `the key was echoed back for: ${echoed.map((p) => p.label).join(', ')} (anyone who sees responses or logs sees the key)`,
    assertions,
    evidence: { exchanges: echoed.slice(0, 3).map((p) => p.sent.exchange) },
  };
}

export function stackTraceCase(probes: Probe[]): CheckOutcome {
  const c: CaseInfo = { suffix: 'no-stack-trace', title: EXPOSURE_TITLES['no-stack-trace']! };
  const refusals = probes.filter((p) => p.sent.exchange.response && [401, 403].includes(p.sent.exchange.response.status));
  if (refusals.length === 0) return skipped(c, 'no 401 or 403 answer to inspect');
  const leaks = refusals
    .map((p) => ({ probe: p, pattern: STACK_PATTERNS.find((re) => re.test(p.sent.body.toString('utf8'))) }))
    .filter((l) => l.pattern !== undefined);
  const assertions: AssertionResult[] = [
    { name: '401/403 bodies without stack traces', passed: leaks.length === 0, expected: 'no stack trace', actual: leaks.length ? `${leaks.length} of ${refusals.length} leak` : `none of ${refusals.length}` },
  ];
  if (leaks.length === 0) {
    return { idSuffix: c.suffix, title: c.title, status: 'passed', message: `${refusals.length} refusals inspected, none shows a stack trace`, assertions, evidence: {} };
  }
  return {
    idSuffix: c.suffix,
    title: c.title,
    status: 'failed',
    message: `refusals show stack traces or source paths (${leaks[0]!.pattern}): ${leaks.map((l) => l.probe.label).join(', ')}`,
    assertions,
    evidence: { exchanges: leaks.slice(0, 3).map((l) => l.probe.sent.exchange) },
  };
}
