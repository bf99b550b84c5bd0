import type { JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase, KeyPlacement } from '../../scenario/types.js';
import type { QueryValue } from '../../engine/http-client.js';
import { requestSchema } from '../request-schema.js';

export interface HttpRequestSpec {
  method?: string;
  path?: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  headers?: Record<string, string>;
  body?: { json?: unknown; text?: string; form?: Record<string, QueryValue>; file?: string };
  identity?: string;
  key?: string | KeyPlacement;
  timeout?: string | number;
  followRedirects?: number;
}

export type StatusExpectation = number | string | (number | string)[];

export interface HeaderExpectation {
  present?: boolean;
  absent?: boolean;
  equals?: string;
  matches?: string;
  contains?: string;
}

export const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'] as const;

export interface JsonExpectation {
  equals?: unknown;
  exists?: boolean;
  type?: (typeof JSON_TYPES)[number];
  matches?: string;
  contains?: unknown;
}

export interface BodyExpectation {
  contains?: string | string[];
  'not-contains'?: string | string[];
  matches?: string;
  equals?: string;
}

export interface HttpExpectations {
  status?: StatusExpectation;
  headers?: Record<string, string | HeaderExpectation>;
  json?: Record<string, JsonExpectation | string | number | boolean | null>;
  body?: BodyExpectation;
  tls?: 'rejected' | 'accepted';
  maxLatencyMs?: number;
}

export type CaptureSpec = string | { json: string } | { header: string };

export interface HttpSpec extends CheckSpecBase {
  request: HttpRequestSpec;
  expect: HttpExpectations;
  capture?: Record<string, CaptureSpec>;
}

const stringOrList: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

export const STATUS_PATTERN = '^([1-5]xx|[1-5]\\d\\d(-[1-5]\\d\\d)?)$';

export const statusSchema: JsonSchema = {
  description: 'A code (`200`), a class (`"4xx"`), a range (`"200-299"`), or a list of those.',
  examples: [200, '4xx', '200-299', [401, 403]],
  anyOf: [
    { type: 'integer', minimum: 100, maximum: 599 },
    { type: 'string', pattern: STATUS_PATTERN },
    {
      type: 'array',
      minItems: 1,
      items: { anyOf: [{ type: 'integer', minimum: 100, maximum: 599 }, { type: 'string', pattern: STATUS_PATTERN }] },
    },
  ],
};

export const httpProperties: Record<string, JsonSchema> = {
  request: requestSchema,
  expect: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    description: 'What the answer must be: every expectation given must hold for the check to pass.',
    examples: [{ status: 200, headers: { 'content-type': { contains: 'json' } }, json: { '$.id': 42 } }, { tls: 'rejected' }],
    properties: {
      status: statusSchema,
      headers: {
        type: 'object',
        description: 'Header name -> expected value (`equals`), or `present`/`absent`/`equals`/`matches`/`contains`.',
        examples: [{ 'cache-control': 'no-store', 'x-powered-by': { absent: true } }],
        additionalProperties: {
          anyOf: [
            { type: 'string' },
            {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                present: { type: 'boolean', description: 'The header must be there (`true`) or not (`false`).', examples: [true] },
                absent: { type: 'boolean', description: 'The header must not be there.', examples: [true] },
                equals: { type: 'string', description: 'The whole value, exactly.', examples: ['no-store'] },
                matches: { type: 'string', description: 'A JavaScript regular expression the value must match.', examples: ['^max-age=\\d+'] },
                contains: { type: 'string', description: 'Text the value must contain.', examples: ['json'] },
              },
            },
          ],
        },
      },
      json: {
        type: 'object',
        description: 'JSONPath (`$.a.b[0]`) or JSON Pointer (`/a/b/0`) -> expected value, or `equals`/`exists`/`type`/`matches`/`contains`.',
        examples: [{ '$.id': 42, '$.email': { matches: '@' }, '/items': { type: 'array' } }],
        additionalProperties: {
          anyOf: [
            { type: ['string', 'number', 'boolean', 'null'] },
            {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                equals: { description: 'The value, compared deeply (objects and lists too).', examples: [{ id: 42 }, 'ada'] },
                exists: { type: 'boolean', description: 'The path must lead to a value (`true`) or to nothing (`false`).', examples: [false] },
                type: { enum: [...JSON_TYPES], description: 'The JSON type of the value.' },
                matches: { type: 'string', description: 'A JavaScript regular expression the value (as text) must match.', examples: ['^[0-9a-f-]{36}$'] },
                contains: { description: 'A substring of a string, an element of a list, or a key of an object.', examples: ['admin'] },
              },
            },
          ],
        },
      },
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        description: 'Expectations on the raw body text.',
        examples: [{ contains: 'ok', 'not-contains': ['stack', 'Exception'] }],
        properties: {
          contains: { ...stringOrList, description: 'Text the body must contain (each of a list).', examples: ['ok', ['id', 'email']] },
          'not-contains': { ...stringOrList, description: 'Text the body must not contain (none of a list).', examples: [['at Object.', 'Traceback']] },
          matches: { type: 'string', description: 'A JavaScript regular expression the body must match.', examples: ['"id":\\s*\\d+'] },
          equals: { type: 'string', description: 'The whole body, exactly.', examples: ['OK'] },
        },
      },
      tls: { enum: ['rejected', 'accepted'], description: 'Whether the TLS handshake must be rejected or accepted.' },
      maxLatencyMs: { type: 'number', minimum: 0, description: 'The longest the exchange may take, in milliseconds.', examples: [500] },
    },
  },
  capture: {
    type: 'object',
    description: 'name -> JSONPath/Pointer into the body, or `{ header: name }`; used later as `{{name}}`.',
    examples: [{ userId: '$.id', etag: { header: 'ETag' } }],
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' },
    additionalProperties: {
      anyOf: [
        { type: 'string' },
        { type: 'object', additionalProperties: false, required: ['json'], properties: { json: { type: 'string', description: 'A JSONPath or JSON Pointer into the body.', examples: ['$.id'] } } },
        { type: 'object', additionalProperties: false, required: ['header'], properties: { header: { type: 'string', description: 'A response header, by name.', examples: ['Location'] } } },
      ],
    },
  },
};
