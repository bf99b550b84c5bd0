import type { RequestSpec } from '../../engine/http-client.js';
import type { AssertionResult, Exchange, Severity } from '../../results/model.js';
import { DEFAULT_SIGNATURE_HEADERS, type SignatureHeaderNames } from '../../signing/canonical.js';
import { signRequest } from '../../signing/client.js';
import { parseDuration } from '../../util/duration.js';
import { deadlineOf, sequential } from '../bounds.js';
import { caseErrored, caseFromAssertions, caseSkipped, describeTransport, narrowListed, type CaseInfo } from '../cases.js';
import { describeStatus, statusMatches } from '../http/expect-status.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckContext, CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { SIGNING_CASES, signingProfileProperties, signingProperties, type SigningCase, type SigningProfile, type SigningSpec } from './spec.js';
import { tamperJson } from './tamper.js';

const TITLES: Record<SigningCase, string> = {
  valid: 'a correctly signed request is accepted',
  unsigned: 'a request without a signature is refused',
  'tampered-body': 'a signed request whose body was changed is refused',
  'tampered-path': 'a signature sent to another path is refused',
  'tampered-query': 'a signed request with an added query parameter is refused',
  'stale-timestamp': 'a signature older than the allowed clock skew is refused',
  'future-timestamp': 'a signature dated beyond the allowed clock skew is refused',
  'replayed-nonce': 'a replayed signed request (same nonce) is refused',
};

function signingProfile(ctx: CheckContext): SigningProfile | undefined {
  const section = ctx.profile.extensions.signing as SigningProfile | undefined;
  return section && typeof section.secret === 'string' ? section : undefined;
}

/**
 * Signs what would be sent for `signed` and returns the headers; the request actually sent may differ. A
 * signature is a credential for that one request while its timestamp is fresh (a refused one's nonce is never
 * used up), so it is redacted from reports like a key.
 */
function signatureFor(ctx: CheckContext, signed: RequestSpec, creds: SigningProfile, names: SignatureHeaderNames, timestamp?: number): Record<string, string> {
  const prepared = ctx.http.prepare(signed);
  const headers = signRequest({ method: prepared.method, url: prepared.url, body: prepared.body }, creds, { timestamp, headers: names });
  ctx.secrets.add(headers[names.signature]);
  return headers;
}

export const signingKind: CheckKind<SigningSpec> = {
  kind: 'signing',
  description: 'HMAC request signing: valid accepted; unsigned, tampered body, path or query, stale or future timestamp, replayed nonce refused.',
  properties: signingProperties,
  required: ['request'],
  profileProperties: signingProfileProperties,
  profileSecrets: [['signing', 'secret']],

  defaultTitle: (spec) => `${(spec.request.method ?? 'GET').toUpperCase()} ${spec.request.path ?? '/'} needs a valid, fresh request signature`,

  plannedCases: (spec) => SIGNING_CASES.filter((name) => !spec.cases || spec.cases.includes(name)).map((name) => ({ suffix: name, title: TITLES[name], severity: spec.severities?.[name] as Severity | undefined })),

  narrowToCases: narrowListed<SigningSpec>('cases'),

  // One request per case; the replay sends the same request twice.
  bounds(spec, context) {
    const cases = spec.cases ?? SIGNING_CASES;
    return sequential(cases.length + (cases.includes('replayed-nonce') ? 1 : 0), deadlineOf(spec.request.timeout, context));
  },

  validate(spec, context) {
    const issues: SpecIssue[] = validateRequest(spec.request, context);
    if (context.profile && !context.profile.extensions.signing) {
      issues.push({ path: ['kind'], code: 'E_NO_SIGNING_PROFILE', message: 'the target profile has no signing section', hint: 'add signing: { keyId: ..., secret: ${env:NAME} } to the profile' });
    }
    if (spec.staleBy !== undefined && (parseDuration(spec.staleBy) ?? 0) < 1000) {
      issues.push({ path: ['staleBy'], code: 'E_BAD_VALUE', message: 'staleBy must be at least 1s' });
    }
    return issues;
  },

  async run(ctx, spec) {
    const creds = signingProfile(ctx);
    const selected = new Set<SigningCase>(spec.cases ?? SIGNING_CASES);
    const info = (name: SigningCase): CaseInfo => ({ suffix: name, title: TITLES[name], severity: spec.severities?.[name] as Severity | undefined });
    if (!creds) {
      return SIGNING_CASES.filter((name) => selected.has(name)).map((name) => caseSkipped(info(name), 'not run: the target profile has no signing section (keyId and secret)'));
    }
    ctx.secrets.add(creds.secret);
    const names: SignatureHeaderNames = { ...DEFAULT_SIGNATURE_HEADERS, ...creds.headers };
    const request = await toRequestSpec(spec.request, ctx.check.source?.file);
    const refused = spec.refusedStatus ?? 401;
    const skewBy = Math.round(parseDuration(spec.staleBy ?? '10m')! / 1000);
    const now = () => Math.floor(Date.now() / 1000);
    const withHeaders = (r: RequestSpec, headers: Record<string, string>, label: string): RequestSpec => ({ ...r, headers: { ...r.headers, ...headers }, label });

    const send = async (r: RequestSpec): Promise<Exchange> => (await ctx.http.send(r)).exchange;
    const judge = (name: SigningCase, exchanges: Exchange[], wantRefused: boolean, extra: AssertionResult[] = []): CheckOutcome => {
      const failure = exchanges.find((e) => e.transport);
      if (failure) return caseErrored(info(name), describeTransport(failure), exchanges);
      const last = exchanges.at(-1)!;
      const status = last.response!.status;
      const assertion: AssertionResult = wantRefused
        ? { name: 'refused', passed: statusMatches(refused, status), expected: describeStatus(refused), actual: String(status) }
        : { name: 'accepted', passed: status >= 200 && status < 300, expected: '2xx', actual: String(status) };
      return caseFromAssertions(info(name), [...extra, assertion], exchanges, `${wantRefused ? 'refused' : 'accepted'}: HTTP ${status}`);
    };

    const outcomes: CheckOutcome[] = [];
    for (const name of SIGNING_CASES) {
      if (!selected.has(name)) continue;
      ctx.progress(name);
      switch (name) {
        case 'valid':
          outcomes.push(judge(name, [await send(withHeaders(request, signatureFor(ctx, request, creds, names), 'signed'))], false));
          break;
        case 'unsigned':
          outcomes.push(judge(name, [await send({ ...request, label: 'unsigned' })], true));
          break;
        case 'tampered-body': {
          if (request.body?.json === undefined && request.body?.text === undefined) {
            outcomes.push(caseSkipped(info(name), 'the request has no JSON or text body to tamper with'));
            break;
          }
          const headers = signatureFor(ctx, request, creds, names);
          const body = request.body.json !== undefined ? { json: tamperJson(request.body.json) } : { text: `${request.body.text} ` };
          outcomes.push(judge(name, [await send(withHeaders({ ...request, body }, headers, 'signed, then body changed'))], true));
          break;
        }
        case 'tampered-path': {
          if (!spec.tamperedPath) {
            outcomes.push(caseSkipped(info(name), 'no tamperedPath configured: name another path that needs a signature'));
            break;
          }
          const headers = signatureFor(ctx, request, creds, names);
          outcomes.push(judge(name, [await send(withHeaders({ ...request, path: spec.tamperedPath }, headers, `signed for ${request.path}, sent to ${spec.tamperedPath}`))], true));
          break;
        }
        case 'tampered-query': {
          const headers = signatureFor(ctx, request, creds, names);
          const query = { ...request.query, 'gauntlet-tampered': '1' };
          outcomes.push(judge(name, [await send(withHeaders({ ...request, query }, headers, 'signed, then a query parameter added'))], true));
          break;
        }
        case 'stale-timestamp':
        case 'future-timestamp': {
          const timestamp = now() + (name === 'stale-timestamp' ? -skewBy : skewBy);
          const headers = signatureFor(ctx, request, creds, names, timestamp);
          outcomes.push(judge(name, [await send(withHeaders(request, headers, `signed with a timestamp ${skewBy}s ${name === 'stale-timestamp' ? 'ago' : 'ahead'}`))], true));
          break;
        }
        case 'replayed-nonce': {
          const signed = withHeaders(request, signatureFor(ctx, request, creds, names), 'first send');
          const first = await send(signed);
          if (first.response && (first.response.status < 200 || first.response.status >= 300)) {
            outcomes.push(caseErrored(info(name), `the first, correctly signed request was refused (HTTP ${first.response.status}): nothing to replay`, [first]));
            break;
          }
          const replay = first.transport ? first : await send({ ...signed, label: 'replay of the same request' });
          outcomes.push(judge(name, first.transport ? [first] : [first, replay], true));
          break;
        }
      }
    }
    return outcomes;
  },
};
