import type { JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import type { HttpRequestSpec } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';

/** Methods tried on a path unless the check says which; HEAD and OPTIONS are every path's by HTTP itself. */
export const TRIED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE'] as const;
/** Methods that change nothing on the target (RFC 9110 safe methods). */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export interface MethodsSpec extends CheckSpecBase {
  /** The path (and key, identity, headers) every tried method is sent to; its method is ignored. */
  request: HttpRequestSpec;
  /** The methods the path is documented to serve. */
  declared: string[];
  /** The methods to try (default: those of TRIED_METHODS not declared). */
  try?: string[];
  severities?: Record<string, string>;
}

const method: JsonSchema = { type: 'string', pattern: '^[A-Za-z]+$' };

export const methodsProperties: Record<string, JsonSchema> = {
  request: { ...requestSchema, description: 'The request sent with each tried method (path, key, identity, headers); its own method is not used.' },
  declared: {
    type: 'array',
    items: method,
    uniqueItems: true,
    description: 'The methods the path is documented to serve (the OpenAPI path item).',
    examples: [['GET', 'PUT']],
  },
  try: {
    type: 'array',
    items: method,
    uniqueItems: true,
    minItems: 1,
    description: `Methods to send (default: those of ${TRIED_METHODS.map((m) => `\`${m}\``).join(', ')} not declared).`,
    examples: [['DELETE', 'PATCH']],
  },
  severities: severitiesSchema(TRIED_METHODS.map((m) => m.toLowerCase())),
};
