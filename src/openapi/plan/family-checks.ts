import type { ApiOperation } from '../model.js';
import { operationLabel } from '../model.js';
import { keyFor, schemeOf, type CredentialPlan } from './credentials.js';
import { requestFor, type PathVars } from './request.js';
import type { PlannedCheck } from './types.js';

const RATE_LIMIT_HEADERS = /^(ratelimit|ratelimit-policy|ratelimit-limit|ratelimit-remaining|ratelimit-reset|x-ratelimit-[a-z-]+|retry-after)$/;

/** The operation a family's headers and CORS are judged on: a GET, secured if any is, with the fewest parameters. */
function representative(operations: ApiOperation[]): ApiOperation | undefined {
  const gets = operations.filter((op) => op.method === 'get');
  const score = (op: ApiOperation) => (op.security.length ? 0 : 10) + op.parameters.filter((p) => p.in === 'path').length;
  return [...gets].sort((a, b) => score(a) - score(b))[0];
}

/** Security headers on a success, on the refusal of a request without credentials, and on a 404 of the family. */
export function headersCheck(family: string, operations: ApiOperation[], credentials: CredentialPlan, vars: PathVars): PlannedCheck | undefined {
  const op = representative(operations);
  if (!op) return undefined;
  const label = operationLabel(op);
  const { method: _m, body: _b, ...request } = requestFor(op, vars, label);
  const key = keyFor(op, credentials);
  const collection = op.path.split('/{')[0]!.replace(/\/$/, '');
  return {
    stage: 'family',
    operations: [label],
    comment: [`Security headers of the ${family} answers, judged on ${label}, its refusal without credentials and a 404 beside it`],
    spec: {
      id: `${family}.headers`,
      kind: 'headers',
      severity: 'medium',
      responses: {
        success: { request: key ? { ...request, key } : request, authenticated: op.security.length > 0 },
        unauthorized: op.security.length ? { request: { ...request, key: 'none' } } : false,
        'not-found': { request: { path: `${collection}/gauntlet-no-such-route` } },
        'rate-limited': false,
      },
    },
  };
}

/** The CORS policy of the family: the bypass origins refused, a preflight of its unsafe methods not reflected. */
export function corsCheck(family: string, operations: ApiOperation[], credentials: CredentialPlan, vars: PathVars): PlannedCheck | undefined {
  const op = representative(operations);
  if (!op) return undefined;
  const label = operationLabel(op);
  const { method: _m, body: _b, ...request } = requestFor(op, vars, label);
  const key = keyFor(op, credentials);
  const unsafe = operations.find((o) => ['post', 'put', 'patch', 'delete'].includes(o.method));
  const credentialHeader = schemeOf(op, credentials)?.placement?.header;
  return {
    stage: 'family',
    operations: [label],
    comment: [`CORS of the ${family} routes (list the browser origins you allow under allowedOrigins to add their positive controls)`],
    spec: {
      id: `${family}.cors`,
      kind: 'cors',
      severity: 'medium',
      request: { method: 'GET', ...(key ? { ...request, key } : request) },
      preflight: { method: unsafe ? unsafe.method.toUpperCase() : 'POST', headers: ['content-type', ...(credentialHeader ? [credentialHeader.toLowerCase()] : [])] },
    },
  };
}

/** Whether an operation documents a rate limit: a 429, or rate-limit headers on an answer. */
export function declaresRateLimit(op: ApiOperation): boolean {
  return op.responses.some((r) => r.status === '429' || r.headers.some((h) => RATE_LIMIT_HEADERS.test(h)));
}

/** The limit a document's examples state: RateLimit-Policy `10;w=60` or `"default";q=10;w=60`. */
export function exampleLimit(operations: ApiOperation[]): { limit: number; window: string } | undefined {
  for (const response of operations.flatMap((op) => op.responses)) {
    const policy = response.headerExamples['ratelimit-policy'];
    if (typeof policy !== 'string') continue;
    const limit = /(?:^|;)\s*q=(\d+)/.exec(policy)?.[1] ?? /^\s*(\d+)/.exec(policy)?.[1];
    const window = /(?:^|;)\s*w=(\d+)/.exec(policy)?.[1];
    if (limit && window) return { limit: Number(limit), window: `${window}s` };
  }
  return undefined;
}

/**
 * One rate-limit check per family that documents a limit, on its first safe operation that does. Its policy is the
 * profile's `rateLimits.<family>`: from the document's RateLimit-Policy example when it gives one; else the check is
 * skipped until the user writes the limit in.
 */
export function rateLimitCheck(family: string, operations: ApiOperation[], credentials: CredentialPlan, vars: PathVars, known: boolean): PlannedCheck | undefined {
  const limited = operations.filter(declaresRateLimit);
  const op = limited.find((o) => o.method === 'get') ?? limited.find((o) => o.method === 'head');
  if (!op) return undefined;
  const label = operationLabel(op);
  const { body: _b, ...request } = requestFor(op, vars, label);
  const key = keyFor(op, credentials);
  return {
    stage: 'rate-limit',
    operations: [label],
    comment: [`${limited.map(operationLabel).join(', ')} document a rate limit (a 429 or rate-limit headers)`],
    spec: {
      id: `${family}.rate-limit`,
      kind: 'rate-limit',
      severity: 'medium',
      ...(known ? {} : { skip: `the document does not say the limit: write it under rateLimits.${family} in the profile, then delete this line` }),
      request: key ? { ...request, key } : request,
      policy: family,
    },
  };
}
