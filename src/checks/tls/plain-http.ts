import { clip } from '../../util/clip.js';
import { redactUrl } from '../../util/redact-url.js';
import type { CheckContext, CheckOutcome } from '../types.js';
import type { TlsProbeName } from './spec.js';

type Outcome = Omit<CheckOutcome, 'idSuffix' | 'title'>;

/**
 * A tls check against an http:// target. The finding is that the API is served in clear (whatever credentials a
 * client sends cross the network readable), so it must be seen: one request without credentials, and an HTTP
 * answer, proves it. The first planned probe carries the finding at the check's severity; the others are
 * reported too, skipped and pointing at it, so the report keeps every case without counting one fact N times.
 * When nothing answers, every probe is errored with the transport class (the target is unreachable, not clear).
 */
export async function plainHttpOutcomes(ctx: CheckContext, probes: readonly TlsProbeName[], path: string, timeoutMs: number): Promise<Map<TlsProbeName, Outcome>> {
  const target = redactUrl(ctx.profile.baseUrl);
  const { exchange } = await ctx.http.send({ path, identity: 'none', key: 'none', withoutProfileHeaders: true, timeoutMs, label: 'plain HTTP, no credentials' });
  const outcomes = new Map<TlsProbeName, Outcome>();
  const evidence = { exchanges: [exchange] };
  if (exchange.transport) {
    const { class: cls, code, message } = exchange.transport;
    const hint = cls === 'protocol-error' || cls === 'reset' ? ' (if it speaks TLS, the target should be https://)' : '';
    for (const probe of probes) {
      outcomes.set(probe, { status: 'errored', message: `the target ${target} is plain http:// and gave no HTTP answer: ${cls}: ${message} (${code})${hint}`, transport: cls, evidence });
    }
    return outcomes;
  }
  const status = exchange.response!.status;
  const location = exchange.response!.headers.location;
  const redirect = typeof location === 'string' && /^https:/i.test(location)
    ? `; it redirects to ${clip(redactUrl(location), 120)}, but a request and its credentials have already crossed in clear by then: make the profile's target https://`
    : '';
  const [first, ...rest] = probes;
  outcomes.set(first!, { status: 'failed', message: `served over plain HTTP; credentials cross the network in clear (${target} answered HTTP ${status})${redirect}`, evidence });
  for (const probe of rest) {
    outcomes.set(probe, { status: 'skipped', message: `not probed: ${target} is plain HTTP, there is no TLS to probe (the finding is ${ctx.check.id}.${first})`, evidence: {} });
  }
  return outcomes;
}
