import type { Severity } from '../../results/model.js';
import type { JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import { statusSchema, type HttpRequestSpec, type StatusExpectation } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';

export const INPUT_CASES = [
  'valid-body',
  'malformed-json',
  'oversized-body',
  'wrong-content-type',
  'deep-nesting',
  'unexpected-fields',
  'invalid-fields',
] as const;
export type InputCase = (typeof INPUT_CASES)[number];

export interface InputSpec extends CheckSpecBase {
  /** Where the bodies go (default method POST); its own body is not used. */
  request: HttpRequestSpec;
  /** A body the endpoint accepts: the base every probe is derived from. */
  validBody: unknown;
  /** The endpoint's documented body limit in bytes; the oversized probe sends 1 KiB more (default 1 MiB). */
  bodyLimit?: number;
  /** How deep the deep-nesting probe nests arrays (default 10000). */
  nestingDepth?: number;
  /** `reject` (default): unexpected fields must be refused; `ignore`: they may be accepted but must not stick. */
  unexpectedFields?: 'reject' | 'ignore';
  /** The invalid-fields answer must name every invalid field (default true). */
  fieldErrors?: boolean;
  /** Status each probe must get (default 4xx; valid-body 2xx). */
  statuses?: Partial<Record<InputCase, StatusExpectation>>;
  severities?: Partial<Record<InputCase, Severity>>;
  cases?: InputCase[];
}

export const inputProperties: Record<string, JsonSchema> = {
  request: requestSchema,
  validBody: { description: 'A JSON body the endpoint accepts; the probes are derived from it.', examples: [{ title: 'hello', priority: 2 }] },
  bodyLimit: {
    type: 'integer',
    minimum: 1,
    maximum: 64 * 1024 * 1024,
    default: 1024 * 1024,
    description: 'The body limit in bytes (default 1 MiB): the oversized body is just above it.',
    examples: [102400],
  },
  nestingDepth: {
    type: 'integer',
    minimum: 2,
    maximum: 1_000_000,
    default: 10_000,
    description: 'How deep the deeply nested body is (default 10000).',
    examples: [1000],
  },
  unexpectedFields: {
    enum: ['reject', 'ignore'],
    default: 'reject',
    description: 'What the endpoint does with unexpected fields (`isAdmin`, `role`, `__proto__`): refuses the body (default), or ignores them.',
  },
  fieldErrors: { type: 'boolean', description: 'The `invalid-fields` answer must name each invalid field.', examples: [true] },
  statuses: {
    type: 'object',
    description: 'Status per case (default `4xx`, `valid-body` `2xx`).',
    examples: [{ 'oversized-body': 413, 'wrong-content-type': 415 }],
    additionalProperties: false,
    properties: Object.fromEntries(
      INPUT_CASES.map((name) => {
        const expected = name === 'valid-body' ? '2xx' : '4xx';
        return [name, { ...statusSchema, default: expected, description: `The status the \`${name}\` case must get (default \`${expected}\`).` }];
      }),
    ),
  },
  severities: severitiesSchema(INPUT_CASES),
  cases: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: [...INPUT_CASES] },
    description: 'Run only these cases.',
    examples: [['valid-body', 'malformed-json', 'deep-nesting']],
  },
};
