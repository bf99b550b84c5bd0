import { exampleValue, propertiesOf } from '../example-value.js';
import type { ApiModel, ApiOperation, JsonSchemaLike } from '../model.js';
import { operationLabel } from '../model.js';
import { operationSlug, parameterVar, slug } from '../names.js';
import type { Producer } from './create-checks.js';
import { adminOnly, isAdminScope, schemeOf, scopesOf, type CredentialPlan, type SchemeCredentials } from './credentials.js';
import { requestFor, type PathVars, type PlannedRequest } from './request.js';
import type { PlannedCheck } from './types.js';

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {});

/** A request on an object path, its last parameter as the kinds' `{id}`, the others as `{{vars}}`; no key. */
function objectRequest(op: ApiOperation, vars: PathVars, objectParam: string): PlannedRequest {
  const request = requestFor(op, vars, operationLabel(op));
  request.path = request.path.replace(`{{${parameterVar(op.path, objectParam)}}}`, '{id}');
  return request;
}

/** A caller of the kinds: the key by name, placed as its scheme says when that is not the profile's default. */
function caller(credential: SchemeCredentials, role: 'valid' | 'other-owner' | 'admin', primary: string | undefined): string | Record<string, unknown> {
  const key = credential.keys[role];
  return credential.scheme.name === primary ? key : { key, ...credential.placement };
}

const find = (model: ApiModel, path: string, method: string) => model.operations.find((op) => op.path === path && op.method === method);

/**
 * How the audit deletes an object it made: the DELETE of its path (the kinds' default, so nothing to write), else
 * a POST to a `revoke`, `delete`, `archive`, `deactivate` or `disable` action under it. Undefined: it cannot, so no
 * check may make one.
 */
function cleanupFor(model: ApiModel, objectPath: string, param: string, vars: PathVars): { request?: PlannedRequest } | undefined {
  if (find(model, objectPath, 'delete')) return {};
  const action = model.operations.find((op) => op.method === 'post' && new RegExp(`^${escape(objectPath)}/(revoke|delete|archive|deactivate|disable)$`).test(op.path));
  return action ? { request: objectRequest(action, vars, param) } : undefined;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * BOLA for each object path with a read: the owner's object (made by the producer, or the profile's id for a
 * read-only check) read, updated and deleted by a caller of another owner, who must be refused.
 */
export function bolaCheck(model: ApiModel, objectPath: string, producer: Producer | undefined, family: string, credentials: CredentialPlan, vars: PathVars): PlannedCheck | undefined {
  const read = find(model, objectPath, 'get');
  const credential = read && schemeOf(read, credentials);
  // Admin-only objects are every admin's; shared ones (x-gauntlet-shared) every caller's: no owner to tell apart.
  if (!read || !credential?.placement || read.sharedObjects || adminOnly(read, credentials)) return undefined;
  const param = /\{([^}]+)\}$/.exec(objectPath)![1]!;
  const update = find(model, objectPath, 'patch') ?? find(model, objectPath, 'put');
  const remove = find(model, objectPath, 'delete');
  const cleanup = cleanupFor(model, objectPath, param, vars);
  // An object the check cannot delete again is one it must not make: then only the owner's existing one is read.
  if (!cleanup) producer = undefined;
  const spec: PlannedCheck['spec'] = {
    id: `${family}.${operationSlug(read)}.bola`,
    kind: 'bola',
    severity: 'high',
    owner: caller(credential, 'valid', credentials.primary),
    intruder: caller(credential, 'other-owner', credentials.primary),
  };
  if (producer) {
    spec.create = requestFor(producer.create, vars, operationLabel(producer.create));
    spec.idPath = producer.idPath;
  } else spec.objectId = `{{${parameterVar(objectPath, param)}}}`;
  spec.read = strip(objectRequest(read, vars, param));
  if (producer && update) spec.update = withChangedBody(strip(objectRequest(update, vars, param)));
  if (producer && remove) spec.delete = strip(objectRequest(remove, vars, param));
  if (producer && cleanup?.request) spec.cleanup = cleanup.request;
  const operations = [read, ...(producer ? [producer.create] : []), ...(spec.update ? [update!] : []), ...(spec.delete ? [remove!] : [])].map(operationLabel);
  return {
    stage: 'authorization',
    operations,
    comment: [`BOLA (API1): another owner's key must not read${spec.update ? ', change' : ''}${spec.delete ? ' or delete' : ''} an object of ${objectPath}${producer ? '' : ` (no create operation: the profile's ${parameterVar(objectPath, param)}, read only)`}`],
    spec,
  };
}

/**
 * BFLA for each operation that needs a scope the ordinary key does not hold (per the plan's keyScopes): the
 * ordinary caller is refused, also through a method-override header. An unsafe one acts only on an object the
 * admin made for it.
 */
export function bflaCheck(model: ApiModel, op: ApiOperation, producers: Producer[], family: string, credentials: CredentialPlan, vars: PathVars): PlannedCheck | undefined {
  const credential = schemeOf(op, credentials);
  if (!credential?.placement) return undefined;
  const scopes = scopesOf(op, credential.scheme.name);
  const ordinary = credentials.keyScopes[credential.keys.valid] ?? [];
  if (!scopes.some((s) => isAdminScope(s) || !ordinary.includes(s))) return undefined;
  const unsafe = !['get', 'head', 'options'].includes(op.method);
  // An unsafe operation on an object acts on one the admin made for it (and deletes again); a safe one reads the profile's.
  const producer = unsafe ? producers.find((p) => p.objectPath === op.path) : undefined;
  const cleanup = producer && cleanupFor(model, op.path, producer.param, vars);
  if (unsafe && /\{[^}]+\}$/.test(op.path) && !cleanup) return undefined;
  const spec: PlannedCheck['spec'] = {
    id: `${family}.${operationSlug(op)}.bfla`,
    kind: 'bfla',
    severity: 'high',
    caller: caller(credential, 'valid', credentials.primary),
    admin: caller(credential, 'admin', credentials.primary),
    scopes,
  };
  const operations = [operationLabel(op)];
  if (producer) {
    spec.create = requestFor(producer.create, vars, operationLabel(producer.create));
    spec.idPath = producer.idPath;
    spec.request = strip(objectRequest(op, vars, producer.param));
    const read = find(model, op.path, 'get');
    if (read) spec.read = strip(objectRequest(read, vars, producer.param));
    if (cleanup?.request) spec.cleanup = cleanup.request;
    operations.push(operationLabel(producer.create));
  } else spec.request = strip(requestFor(op, vars, operationLabel(op)));
  return { stage: 'authorization', operations, comment: [`BFLA (API5): ${operationLabel(op)} needs ${scopes.join(', ')}, which the ordinary key does not hold`], spec };
}

/**
 * Mass assignment for each create whose object declares server-set (readOnly) properties: sent with privileged
 * values on create and update, they must not be stored; the read must carry only the declared properties.
 */
export function massAssignmentCheck(model: ApiModel, producer: Producer, family: string, credentials: CredentialPlan, vars: PathVars): PlannedCheck | undefined {
  const read = find(model, producer.objectPath, 'get');
  const credential = schemeOf(producer.create, credentials);
  const cleanup = cleanupFor(model, producer.objectPath, producer.param, vars);
  if (!read || !cleanup) return undefined;
  const readSchema = read.responses.find((r) => /^2\d\d$/.test(r.status) && r.schema)?.schema;
  const createSchema = producer.create.responses.find((r) => /^2\d\d$/.test(r.status) && r.schema)?.schema;
  const inject = privilegedValues(readSchema ?? createSchema, producer.create.requestBody?.schema);
  if (!Object.keys(inject).length) return undefined;
  const update = find(model, producer.objectPath, 'patch') ?? find(model, producer.objectPath, 'put');
  const spec: PlannedCheck['spec'] = {
    id: `${family}.${operationSlug(producer.create)}.mass-assignment`,
    kind: 'mass-assignment',
    severity: 'high',
    ...(credential?.placement ? { caller: caller(credential, adminOnly(producer.create, credentials) ? 'admin' : 'valid', credentials.primary) } : {}),
    create: requestFor(producer.create, vars, operationLabel(producer.create)),
    idPath: producer.idPath,
    ...(update ? { update: strip(objectRequest(update, vars, producer.param)) } : {}),
    read: strip(objectRequest(read, vars, producer.param)),
    inject,
    ...(cleanup.request ? { cleanup: cleanup.request } : {}),
  };
  const declared = Object.keys(propertiesOf(readSchema));
  if (declared.length && obj(readSchema).additionalProperties !== true) spec.declared = declared;
  const operations = [operationLabel(producer.create), operationLabel(read), ...(update ? [operationLabel(update)] : [])];
  return { stage: 'authorization', operations, comment: [`Mass assignment (API3): ${Object.keys(inject).join(', ')} ${Object.keys(inject).length > 1 ? 'are' : 'is'} set by the server (readOnly), never by a client`], spec };
}

/** An update whose body differs from the create's example in every value, so that a change can be seen. */
function withChangedBody(request: PlannedRequest): PlannedRequest {
  if (!request.body || !('json' in request.body)) return request;
  return { ...request, body: { json: changed(request.body.json) } };
}

function changed(value: unknown): unknown {
  // Keep a value's format (an email, a URL) so that validation does not refuse the update for it.
  if (typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value)) return `changed.${value}`;
  if (typeof value === 'string' && /^https?:\/\//.test(value)) return `${value.replace(/\/$/, '')}/changed`;
  if (typeof value === 'string') return `${value}-changed`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return value.map(changed);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, changed(v)]));
  return value;
}

/** The request without method defaults worth omitting: a GET needs no method line. */
function strip(request: PlannedRequest): PlannedRequest {
  const { method, ...rest } = request;
  return method === 'GET' ? (rest as PlannedRequest) : request;
}

/** The server-set properties of an object, each with a value a client would like to give itself. */
function privilegedValues(objectSchema: JsonSchemaLike | undefined, requestSchema: JsonSchemaLike | undefined): Obj {
  const values: Obj = {};
  const readOnly = Object.entries(propertiesOf(objectSchema)).filter(([, p]) => p.readOnly === true);
  const requestProperties = propertiesOf(requestSchema);
  for (const [name, property] of readOnly) values[name] = privileged(name, obj(property), exampleValue(obj(requestProperties[name] ?? property)));
  return values;
}

function privileged(name: string, schema: Obj, usual: unknown): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length > 1) return schema.enum.find((v) => /admin|owner|root|super/i.test(String(v))) ?? schema.enum.at(-1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'boolean') return usual !== true;
  if (type === 'integer' || type === 'number') return 999_999;
  if (schema.format === 'date-time') return '2000-01-01T00:00:00Z';
  if (/role|level|group|permission|scope|admin|tier|plan/i.test(name)) return 'admin';
  return `gauntlet-${slug(name)}`;
}
