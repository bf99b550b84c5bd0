import { exampleValue } from '../example-value.js';
import type { ApiOperation } from '../model.js';
import { parameterVar } from '../names.js';

/** A request as a scenario writes it. */
export interface PlannedRequest {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  body?: { json: unknown } | { form: Record<string, unknown> } | { text: string };
}

/** A path parameter's variable: the profile's `vars` give it a value, or a create check captures one. */
export interface PathVar {
  name: string;
  example: string | number | boolean;
  /** Which operations use it, for the comment beside it in the profile. */
  usedBy: string[];
}

/** The variables of a plan, collected as requests are built. */
export class PathVars {
  readonly vars = new Map<string, PathVar>();

  use(name: string, example: unknown, by: string): void {
    const existing = this.vars.get(name);
    if (existing) {
      if (!existing.usedBy.includes(by)) existing.usedBy.push(by);
    } else this.vars.set(name, { name, example: pathValue(example), usedBy: [by] });
  }
}

/** A path parameter's value as the simple style writes it: a list or an object joined by commas. */
function pathValue(example: unknown): string | number | boolean {
  if (Array.isArray(example)) return example.map(String).join(',');
  if (example && typeof example === 'object') return Object.entries(example).flat().map(String).join(',');
  return typeof example === 'number' || typeof example === 'boolean' ? example : String(example ?? 1);
}

/** Header parameters a request never sets itself: the credential's header and what HTTP manages. */
const MANAGED_HEADERS = /^(authorization|cookie|host|content-length|content-type|accept|x-api-key)$/i;

/**
 * The request an operation is audited with: `{param}` replaced by `{{var}}`, required query and header parameters
 * given example values, and an example body from the request schema (server-set readOnly properties left out).
 */
export function requestFor(op: ApiOperation, vars: PathVars, label: string, credentialHeader?: string): PlannedRequest {
  let path = op.path;
  for (const param of op.parameters.filter((p) => p.in === 'path')) {
    const name = parameterVar(op.path, param.name);
    vars.use(name, param.example ?? exampleValue(param.schema) ?? 1, label);
    path = path.replaceAll(`{${param.name}}`, `{{${name}}}`);
  }
  const request: PlannedRequest = { method: op.method.toUpperCase(), path };
  const query = Object.fromEntries(op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, scalar(p.example ?? exampleValue(p.schema))]));
  if (Object.keys(query).length) request.query = query;
  const headers = Object.fromEntries(
    op.parameters
      .filter((p) => p.in === 'header' && p.required && !MANAGED_HEADERS.test(p.name) && p.name.toLowerCase() !== credentialHeader?.toLowerCase())
      .map((p) => [p.name, String(scalar(p.example ?? exampleValue(p.schema)))]),
  );
  if (Object.keys(headers).length) request.headers = headers;
  const body = op.requestBody;
  if (body && (body.required || ['post', 'put', 'patch'].includes(op.method))) {
    const example = exampleValue(body.schema, { forRequest: true });
    if (/json/i.test(body.contentType)) request.body = { json: example };
    else if (/x-www-form-urlencoded|multipart/i.test(body.contentType)) request.body = { form: flatForm(example) };
    else request.body = { text: typeof example === 'string' ? example : JSON.stringify(example) };
  }
  return request;
}

function scalar(value: unknown): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value ?? '');
}

function flatForm(value: unknown): Record<string, unknown> {
  const form: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value && typeof value === 'object' ? value : {})) form[name] = scalar(field);
  return form;
}

/** The statuses an operation documents for success (2xx, and 3xx), as an expectation: [201] or '2xx'. */
export function documentedSuccess(op: ApiOperation): (number | string)[] {
  const codes = op.responses.map((r) => r.status).filter((s) => /^[23]\d\d$/.test(s)).map(Number);
  return codes.length ? codes : ['2xx'];
}
