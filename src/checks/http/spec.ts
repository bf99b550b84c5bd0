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
  description: 'A code (200), a class ("4xx"), a range ("200-299"), or a list of those.',
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
    properties: {
      status: statusSchema,
      headers: {
        type: 'object',
        description: 'Header name -> expected value (equals), or present/absent/equals/matches/contains.',
        additionalProperties: {
          anyOf: [
            { type: 'string' },
            {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                present: { type: 'boolean' },
                absent: { type: 'boolean' },
                equals: { type: 'string' },
                matches: { type: 'string', description: 'A JavaScript regular expression.' },
                contains: { type: 'string' },
              },
            },
          ],
        },
      },
      json: {
        type: 'object',
        description: 'JSONPath ($.a.b[0]) or JSON Pointer (/a/b/0) -> expected value, or equals/exists/type/matches/contains.',
        additionalProperties: {
          anyOf: [
            { type: ['string', 'number', 'boolean', 'null'] },
            {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                equals: {},
                exists: { type: 'boolean' },
                type: { enum: [...JSON_TYPES] },
                matches: { type: 'string' },
                contains: {},
              },
            },
          ],
        },
      },
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { contains: stringOrList, 'not-contains': stringOrList, matches: { type: 'string' }, equals: { type: 'string' } },
      },
      tls: { enum: ['rejected', 'accepted'], description: 'Whether the TLS handshake must be rejected or accepted.' },
      maxLatencyMs: { type: 'number', minimum: 0 },
    },
  },
  capture: {
    type: 'object',
    description: 'name -> JSONPath/Pointer into the body, or { header: name }; used later as {{name}}.',
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' },
    additionalProperties: {
      anyOf: [
        { type: 'string' },
        { type: 'object', additionalProperties: false, required: ['json'], properties: { json: { type: 'string' } } },
        { type: 'object', additionalProperties: false, required: ['header'], properties: { header: { type: 'string' } } },
      ],
    },
  },
};
