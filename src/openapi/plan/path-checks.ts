import type { ApiOperation } from '../model.js';
import { operationLabel } from '../model.js';
import { slug } from '../names.js';
import { keyFor, type CredentialPlan } from './credentials.js';
import { requestFor, type PathVars } from './request.js';
import type { PlannedCheck } from './types.js';

const TRIED = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE'];

/**
 * One check per path: the methods its path item does not declare are refused (405). Sent with the key of the
 * path's first secured operation, so a refusal is about the method, not the credential.
 */
export function methodsCheck(path: string, operations: ApiOperation[], prefix: string, credentials: CredentialPlan, vars: PathVars): PlannedCheck | undefined {
  const declared = operations.map((op) => op.method.toUpperCase());
  const undeclared = TRIED.filter((m) => !declared.includes(m));
  if (undeclared.length === 0) return undefined;
  const model = operations.find((op) => op.security.length) ?? operations[0]!;
  const { method: _method, body: _body, ...request } = requestFor(model, vars, operationLabel(model));
  const key = keyFor(model, credentials);
  return {
    stage: 'methods',
    operations: [],
    comment: [`${path} declares ${declared.join(', ')}: ${undeclared.join(', ')} must be refused`],
    spec: {
      id: `${prefix}.${slug(path.replace(/[{}]/g, ''))}.methods`,
      kind: 'methods',
      severity: 'medium',
      request: key ? { ...request, key } : request,
      declared,
    },
  };
}
