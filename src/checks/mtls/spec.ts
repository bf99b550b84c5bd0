import { CLIENT_ROLES } from '../../pki/roles.js';
import { durationSchema, keyPlacementSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase, KeyPlacement } from '../../scenario/types.js';
import { DEFAULT_REJECT_STATUS } from '../rejection.js';
import { MTLS_CASE_NAMES } from './cases.js';

/** The TLS versions the matrix runs over, each case once per version, in this order by default. */
export const MTLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
export type MtlsVersion = (typeof MTLS_VERSIONS)[number];

export interface WhoamiSpec {
  path: string;
  /** JSONPath or JSON Pointer to the value naming the caller; default: the whole body. */
  json?: string;
}

export interface MtlsSpec extends CheckSpecBase {
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  key?: string | KeyPlacement;
  /** Role -> identity name in the profile, when the profile does not use the role names. */
  identities?: Record<string, string>;
  cases?: string[];
  protectedBody?: string;
  rejectStatus?: number[];
  whoami?: string | WhoamiSpec;
  tlsVersions?: MtlsVersion[];
  timeout?: string | number;
}

export const mtlsProperties: Record<string, JsonSchema> = {
  path: { type: 'string', default: '/', description: 'The protected path every case requests (default `/`).', examples: ['/api/me'] },
  method: { type: 'string', pattern: '^[A-Za-z]+$', default: 'GET', description: 'HTTP method (default `GET`).', examples: ['GET', 'POST'] },
  headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Headers sent with every case.', examples: [{ Accept: 'application/json' }] },
  key: keyPlacementSchema,
  identities: {
    type: 'object',
    description: `Role -> identity name in the profile (default: the role name). Roles: ${CLIENT_ROLES.map((r) => `\`${r}\``).join(', ')}.`,
    examples: [{ valid: 'client', expired: 'client-expired' }],
    additionalProperties: { type: 'string' },
  },
  cases: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: [...MTLS_CASE_NAMES] },
    description: 'Which cases to run (default: all).',
    examples: [MTLS_CASE_NAMES.slice(0, 3)],
  },
  protectedBody: {
    type: 'string',
    description: 'Text only the protected answer contains; default: the body the valid identity receives.',
    examples: ['"account":'],
  },
  rejectStatus: {
    type: 'array',
    minItems: 1,
    items: { type: 'integer', minimum: 400, maximum: 599 },
    default: DEFAULT_REJECT_STATUS,
    description: `HTTP statuses that count as a rejection (default ${DEFAULT_REJECT_STATUS.join(', ')}).`,
    examples: [[401, 403]],
  },
  whoami: {
    description: 'A path answering who the server saw (or `{ path, json }`): the positive controls check it names their certificate.',
    examples: ['/whoami', { path: '/whoami', json: '$.subject' }],
    anyOf: [
      { type: 'string' },
      {
        type: 'object',
        additionalProperties: false,
        required: ['path'],
        properties: {
          path: { type: 'string', description: 'The path that answers who the server saw.', examples: ['/whoami'] },
          json: { type: 'string', description: 'JSONPath or JSON Pointer to the name in its JSON answer (default: the whole body).', examples: ['$.subject'] },
        },
      },
    ],
  },
  tlsVersions: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: [...MTLS_VERSIONS] },
    default: [...MTLS_VERSIONS],
    description: 'TLS versions to run every case over, one connection per case and version (default: `TLSv1.2` and `TLSv1.3`).',
    examples: [['TLSv1.3']],
  },
  timeout: { ...durationSchema, description: 'The longest each connection and request may take (default: the profile `timeouts`).' },
};
