import type { ApiOperation } from '../model.js';
import { operationLabel } from '../model.js';
import { operationSlug } from '../names.js';
import { adminOnly, describeScheme, schemeOf, scopesOf, type CredentialPlan } from './credentials.js';
import { documentedSuccess, requestFor, type PathVars } from './request.js';
import type { PlannedCheck, Stage } from './types.js';

const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

export function stageOf(op: ApiOperation): Stage {
  if (op.method === 'delete') return 'delete';
  return UNSAFE.has(op.method) ? 'write' : 'read';
}

/**
 * The checks of one operation: the key matrix when it has a security requirement (missing, malformed and unknown
 * keys refused, the key refused in the query, an under-scoped key refused with 403 when it needs scopes, the valid
 * key served), or, when it needs no credentials, one check that lists it as public for a reviewer to confirm.
 */
export function operationChecks(op: ApiOperation, prefix: string, credentials: CredentialPlan, vars: PathVars): PlannedCheck[] {
  const label = operationLabel(op);
  const id = `${prefix}.${operationSlug(op)}`;
  const mutates = UNSAFE.has(op.method);
  const summary = op.summary ? ` (${op.summary.replace(/\s+/g, ' ').slice(0, 80)})` : '';
  if (op.security.length === 0) {
    return [
      {
        stage: stageOf(op),
        operations: [label],
        comment: [`${label}${summary}: the document names no security requirement: anyone may call it. Is that intended?`],
        spec: {
          id: `${id}.public`,
          kind: 'http',
          severity: 'info',
          title: `${label} is public, as documented`,
          ...(mutates ? { mutates: true } : {}),
          request: { ...requestFor(op, vars, label), key: 'none' },
          expect: { status: documentedSuccess(op) },
        },
      },
    ];
  }
  const credential = schemeOf(op, credentials);
  if (!credential?.placement) {
    const names = op.security.flatMap((r) => [...r.keys()]).join(', ');
    return [{ stage: stageOf(op), operations: [label], comment: [`${label}${summary}: secured by ${names} (a client certificate): the mtls check of this file covers it`], spec: mtlsPlaceholder(id, op, vars, label) }];
  }
  const scopes = scopesOf(op, credential.scheme.name);
  // An operation needing a scope the ordinary key does not hold is served to the admin key, refused to the ordinary one.
  const forAdmin = adminOnly(op, credentials);
  const roles: Record<string, string> = forAdmin
    ? { valid: credential.keys.admin, 'under-scoped': credential.keys.valid }
    : { valid: credential.keys.valid, 'under-scoped': credential.keys['under-scoped'] };
  // revoked and expired run when the profile has such keys (the plain role names: the primary scheme's only).
  const lifecycleKeys = credential.scheme.name === credentials.primary ? ['revoked', 'expired'] : [];
  // The key in the query is probed where that spends nothing: an unsafe request on an object has spent it by then.
  const query = mutates && op.parameters.some((p) => p.in === 'path') ? [] : ['query'];
  const cases = ['missing', 'malformed', 'unknown', ...lifecycleKeys, ...query, ...(scopes.length ? ['under-scoped'] : []), 'valid', 'www-authenticate', 'echo', 'no-stack-trace'];
  const { in: where, header, param } = credential.placement;
  const spec: PlannedCheck['spec'] = {
    id: `${id}.keys`,
    kind: 'api-key',
    severity: 'high',
    ...(mutates ? { mutates: true } : {}),
    request: requestFor(op, vars, label, header),
    in: where,
    ...(header ? { header } : {}),
    ...(param ? { param } : {}),
    roles,
    cases,
    lifecycle: false,
  };
  const scopeNote = scopes.length ? `; needs ${scopes.join(', ')}${forAdmin ? ' (admin only: the ordinary key is the under-scoped one)' : ''}` : '';
  return [{ stage: stageOf(op), operations: [label], comment: [`${label}${summary}: ${describeScheme(credential.scheme)}${scopeNote}`], spec }];
}

/** An operation secured by a client certificate alone: the mtls kind refuses every bad certificate on its path. */
function mtlsPlaceholder(id: string, op: ApiOperation, vars: PathVars, label: string): PlannedCheck['spec'] {
  const request = requestFor(op, vars, label);
  return { id: `${id}.mtls`, kind: 'mtls', severity: 'high', path: request.path };
}
