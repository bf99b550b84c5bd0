import type { SentRequest } from '../../engine/send.js';
import type { AssertionResult } from '../../results/model.js';
import type { CheckOutcome } from '../types.js';
import { challengeScheme } from './challenge.js';
import { malformedVariants, unknownLike } from './guesses.js';
import { caseOutcome, header, is2xx, skipped, statusAssertion, statusOf, transportFailure, type CaseInfo, type KeyProber } from './probe.js';
import type { KeyRole } from './spec.js';

export const MATRIX_TITLES: Record<string, string> = {
  missing: 'a request without a key is refused with 401',
  malformed: 'malformed keys (empty, 10 KB, non-ASCII, quotes, SQL and JSON meta-characters) get 401 or 400, never 5xx',
  unknown: 'an unknown but well-formed key is refused with 401',
  revoked: 'a revoked key is refused with 401',
  expired: 'an expired key is refused with 401',
  'under-scoped': "a valid key without the route's scope gets 403 (not 401, not 2xx)",
  valid: "a valid key with the route's scopes is accepted",
  query: 'a key in the query string is not accepted',
};

export interface MatrixEnv {
  prober: KeyProber;
  /** The profile key name for a role, when the profile has one. */
  role(role: KeyRole): string | undefined;
  keyValue(name: string): string | undefined;
  queryParam: string;
}

const info = (suffix: string): CaseInfo => ({ suffix, title: MATRIX_TITLES[suffix]! });

/**
 * The answer a key that is not valid must get: 401. Whether the 401 carries its challenge is the www-authenticate
 * case's question, so a correct refusal is not failed for a missing header. `what` names the key in messages.
 */
function expectUnauthorized(c: CaseInfo, sent: SentRequest, what: string, note?: string): CheckOutcome {
  const status = statusOf(sent);
  const assertions = [statusAssertion('status', '401', status, status === 401)];
  let failMessage: string | undefined;
  if (is2xx(status)) failMessage = `${what} was accepted (HTTP ${status})`;
  else if (status === 403) failMessage = `${what} got 403; a key that is not valid must get 401 (403 is for a valid key lacking a scope)`;
  else if (status !== 401) failMessage = `${what} got HTTP ${status}, expected 401`;
  const notes = [note, status === 401 && !challengeScheme(header(sent.exchange, 'www-authenticate')) ? 'without a WWW-Authenticate challenge: see the www-authenticate case' : undefined].filter(Boolean);
  return caseOutcome(c, [sent], assertions, `${what} was refused with 401${notes.length ? ` (${notes.join('; ')})` : ''}`, failMessage);
}

async function byRole(env: MatrixEnv, role: KeyRole, what: string): Promise<CheckOutcome> {
  const name = env.role(role);
  if (!name) return skipped(info(role), `the profile has no '${role}' key (name it under roles.${role})`);
  return expectUnauthorized(info(role), await env.prober.named(role, name), what);
}

export async function runMatrixCase(name: string, env: MatrixEnv): Promise<CheckOutcome> {
  const { prober } = env;
  const valid = env.role('valid');
  switch (name) {
    case 'missing': {
      const sent = await prober.none('no key');
      return expectUnauthorized(info('missing'), sent, 'a request without any key');
    }
    case 'malformed': {
      const sent: SentRequest[] = [];
      for (const variant of malformedVariants()) sent.push(await prober.value(`malformed: ${variant.name}`, variant.value));
      // A connection dropped on one key while the others got answers is the server failing on that key (for the
      // 10 KB key it is also how some servers refuse an oversized header). Other transport failures judge nothing.
      const someAnswered = sent.some((s) => s.exchange.response);
      const dropped = (s: SentRequest) => someAnswered && ['reset', 'protocol-error', 'tls-rejected'].includes(s.exchange.transport?.class ?? '');
      const unjudged = sent.filter((s) => s.exchange.transport && !dropped(s));
      if (unjudged.length) return { ...transportFailure(info('malformed'), unjudged)!, evidence: { exchanges: sent.map((s) => s.exchange) } };
      const assertions: AssertionResult[] = malformedVariants().map((variant, i) => {
        const answer = sent[i]!;
        if (dropped(answer)) {
          const cutIsRefusal = variant.name === '10 KB long';
          return { name: `${variant.name} key refused`, passed: cutIsRefusal, expected: '401 or 400', actual: `connection dropped (${answer.exchange.transport!.class})` };
        }
        const status = statusOf(answer);
        return statusAssertion(`${variant.name} key refused`, '401 or 400', status, status === 401 || status === 400);
      });
      const bad = assertions.filter((a) => !a.passed).map((a) => `${a.name.replace(/ key refused$/, '')} -> ${a.actual}`);
      const crashed = assertions.some((a) => !a.passed && (Number(a.actual) >= 500 || a.actual!.startsWith('connection dropped')));
      const failMessage = bad.length
        ? `${crashed ? 'a malformed key made the server fail' : 'malformed keys were not refused with 401 or 400'}: ${bad.join(', ')}`
        : undefined;
      const outcome = caseOutcome(info('malformed'), sent.filter((s) => !dropped(s)), assertions, `all ${sent.length} malformed keys were refused`, failMessage);
      return { ...outcome, evidence: { ...outcome.evidence, exchanges: sent.map((s) => s.exchange) } };
    }
    case 'unknown': {
      const named = env.role('unknown');
      if (named) return expectUnauthorized(info('unknown'), await prober.named('unknown', named), 'an unknown key');
      const validValue = valid && env.keyValue(valid);
      if (!validValue) return skipped(info('unknown'), "the profile has neither an 'unknown' nor a 'valid' key to make one from");
      const sent = await prober.value('unknown (made up)', unknownLike(validValue));
      return expectUnauthorized(info('unknown'), sent, 'an unknown key', "made up from the valid key's scheme with a random rest");
    }
    case 'revoked':
      return byRole(env, 'revoked', 'a revoked key');
    case 'expired':
      return byRole(env, 'expired', 'an expired key');
    case 'under-scoped': {
      const c = info('under-scoped');
      const keyName = env.role('under-scoped');
      if (!keyName) return skipped(c, "the profile has no 'under-scoped' key (name it under roles.under-scoped)");
      const sent = await prober.named('under-scoped', keyName);
      const status = statusOf(sent);
      let failMessage: string | undefined;
      if (is2xx(status)) failMessage = `a key without the required scope was accepted (HTTP ${status}): scopes are not enforced`;
      else if (status === 401) failMessage = 'a valid key without the required scope got 401, as if it were unknown: expected 403 (the key is known, it lacks a scope)';
      else if (status !== 403) failMessage = `a valid key without the required scope got HTTP ${status}, expected 403`;
      return caseOutcome(c, [sent], [statusAssertion('status', '403', status, status === 403)], 'the under-scoped key got 403', failMessage);
    }
    case 'valid': {
      const c = info('valid');
      if (!valid) return skipped(c, "the profile has no 'valid' key (name it under roles.valid)");
      const sent = await prober.named('valid', valid);
      const status = statusOf(sent);
      // Not found is the request's fault, not the key's: without a served control the refusals prove less.
      if (status === 404) return { idSuffix: c.suffix, title: c.title, status: 'errored', message: 'cannot conclude: the valid key got 404: the request names nothing that exists (check its path and any id in it) [E_PRECONDITION]', evidence: { exchanges: [sent.exchange] } };
      const failMessage = is2xx(status) ? undefined : `the valid key was refused (HTTP ${status}): check the key and the request; the negative cases prove little without this one`;
      return caseOutcome(c, [sent], [statusAssertion('status', '2xx', status, is2xx(status))], `the valid key was accepted (HTTP ${status})`, failMessage);
    }
    case 'query': {
      const c = info('query');
      if (prober.placement.in === 'query') return skipped(c, 'the API takes its keys in the query string (in: query), where they end up in logs, proxies and browser history: nothing more to probe');
      const value = valid && env.keyValue(valid);
      if (!value) return skipped(c, "the profile has no 'valid' key to put in the query string");
      const sent = await prober.none(`valid key in ?${env.queryParam}=`, { query: { ...prober.baseQuery, [env.queryParam]: value } }, value);
      const status = statusOf(sent);
      const refused = status !== undefined && status >= 400 && status < 500;
      let failMessage: string | undefined;
      if (is2xx(status)) failMessage = `a key in the query string (?${env.queryParam}=) was accepted (HTTP ${status}): keys in URLs end up in logs, proxies and browser history`;
      else if (!refused) failMessage = `a key in the query string got HTTP ${status}, expected a 4xx refusal`;
      return caseOutcome(c, [sent], [statusAssertion('status', '4xx', status, refused)], `a key in ?${env.queryParam}= was refused (HTTP ${status})`, failMessage);
    }
    default:
      throw new Error(`not a matrix case: ${name}`);
  }
}
