import { propertiesOf } from '../example-value.js';
import type { ApiModel, ApiOperation, JsonSchemaLike } from '../model.js';
import { operationLabel } from '../model.js';
import { operationSlug, parameterVar } from '../names.js';
import { adminOnly, schemeOf, type CredentialPlan } from './credentials.js';
import { documentedSuccess, requestFor, type PathVars } from './request.js';
import type { PlannedCheck } from './types.js';

/** A create operation whose answer names the new object, so the object's path can be filled with it. */
export interface Producer {
  create: ApiOperation;
  /** The object path it makes objects for: /notes/{id}. */
  objectPath: string;
  /** The path parameter the new object's id fills, and the variable it lives in. */
  param: string;
  variable: string;
  /** Where the id is in the create answer: $.id */
  idPath: string;
}


/**
 * For each object path (`/notes/{id}`), the POST on its collection (`/notes`) whose documented answer carries the
 * id: the property named like the parameter, or `id`.
 */
export function findProducers(model: ApiModel): Producer[] {
  const producers: Producer[] = [];
  const objectPaths = [...new Set(model.operations.map((op) => op.path))].filter((path) => /\/\{[^}]+\}$/.test(path));
  for (const objectPath of objectPaths) {
    const param = /\{([^}]+)\}$/.exec(objectPath)![1]!;
    const collection = objectPath.slice(0, objectPath.lastIndexOf('/'));
    const create = model.operations.find((op) => op.method === 'post' && op.path === collection);
    if (!create) continue;
    const success = create.responses.filter((r) => /^2\d\d$/.test(r.status) && r.schema);
    const property = success.map((r) => idProperty(r.schema!, param)).find(Boolean);
    if (!property) continue;
    producers.push({ create, objectPath, param, variable: parameterVar(objectPath, param), idPath: `$.${property}` });
  }
  return producers;
}

function idProperty(schema: JsonSchemaLike, param: string): string | undefined {
  const properties = propertiesOf(schema);
  if (param in properties) return param;
  if ('id' in properties) return 'id';
  return undefined;
}

/**
 * The check that makes an object for the rest of the scenario to use, capturing its id into the variable its
 * object path uses. It changes data, so it runs only when the profile allows mutations; otherwise the variable keeps
 * the profile's value (an existing object's id).
 */
export function createCheck(producer: Producer, prefix: string, credentials: CredentialPlan, vars: PathVars): PlannedCheck {
  const label = operationLabel(producer.create);
  const credential = schemeOf(producer.create, credentials);
  const request = requestFor(producer.create, vars, label);
  vars.use(producer.variable, 1, operationLabel({ method: 'get', path: producer.objectPath }));
  return {
    stage: 'create',
    operations: [label],
    comment: [`Makes an object for the checks below (${producer.objectPath} with {{${producer.variable}}}); without mutations: allowed they use the profile's ${producer.variable}.`],
    spec: {
      id: `${prefix}.${operationSlug(producer.create)}.create`,
      kind: 'http',
      severity: 'info',
      title: `${label} makes an object to audit with`,
      mutates: true,
      request: credential?.placement ? { ...request, key: { name: credential.keys[adminOnly(producer.create, credentials) ? 'admin' : 'valid'], ...credential.placement } } : request,
      expect: { status: documentedSuccess(producer.create) },
      capture: { [producer.variable]: producer.idPath },
    },
  };
}
