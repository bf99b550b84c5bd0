import type { Severity } from '../../results/model.js';
import { durationSchema, secretRefSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { DEFAULT_SIGNATURE_HEADERS, type SignatureHeaderNames } from '../../signing/canonical.js';
import { severitiesSchema } from '../cases.js';
import { statusSchema, type HttpRequestSpec, type StatusExpectation } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';

export const SIGNING_CASES = [
  'valid',
  'unsigned',
  'tampered-body',
  'tampered-path',
  'tampered-query',
  'stale-timestamp',
  'future-timestamp',
  'replayed-nonce',
] as const;
export type SigningCase = (typeof SIGNING_CASES)[number];

export interface SigningSpec extends CheckSpecBase {
  /** A request that needs a signature and succeeds when signed. */
  request: HttpRequestSpec;
  /** Another path that needs a signature, to send the signature of `request.path` to. */
  tamperedPath?: string;
  /** How far off the clock the stale and future timestamps are (default 10m). */
  staleBy?: string | number;
  /** What a refused request gets (default 401). */
  refusedStatus?: StatusExpectation;
  severities?: Partial<Record<SigningCase, Severity>>;
  cases?: SigningCase[];
}

/** The profile's `signing:` section, once loaded (the secret resolved). */
export interface SigningProfile {
  keyId: string;
  secret: string;
  headers?: Partial<SignatureHeaderNames>;
}

export const signingProperties: Record<string, JsonSchema> = {
  request: requestSchema,
  tamperedPath: {
    type: 'string',
    description: 'Another path that needs a signature: the `tampered-path` case sends it a request signed for `request.path` (skipped without it).',
    examples: ['/api/orders'],
  },
  staleBy: { ...durationSchema, default: '10m', description: 'How far in the past and future the stale and future timestamps are (default `10m`; at least `1s`).', examples: ['10m', '1h'] },
  refusedStatus: { ...statusSchema, default: 401, description: `The status of a refused signature (default 401). ${String(statusSchema.description)}` },
  severities: severitiesSchema(SIGNING_CASES),
  cases: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: [...SIGNING_CASES] },
    description: 'Run only these cases.',
    examples: [['valid', 'unsigned', 'tampered-body'], ['replayed-nonce']],
  },
};

const headerName = (what: keyof typeof DEFAULT_SIGNATURE_HEADERS): JsonSchema => ({
  type: 'string',
  pattern: '^[A-Za-z0-9-]+$',
  default: DEFAULT_SIGNATURE_HEADERS[what],
  description: `The header that carries the ${HEADER_ROLES[what]} (default \`${DEFAULT_SIGNATURE_HEADERS[what]}\`).`,
  examples: [DEFAULT_SIGNATURE_HEADERS[what]],
});

const HEADER_ROLES: Record<keyof typeof DEFAULT_SIGNATURE_HEADERS, string> = {
  keyId: 'key id',
  timestamp: 'Unix time of the signature, in seconds',
  nonce: 'nonce that makes each request unique',
  signature: 'signature',
};

export const signingProfileProperties: Record<string, JsonSchema> = {
  signing: {
    type: 'object',
    additionalProperties: false,
    required: ['keyId', 'secret'],
    description: 'HMAC request signing: the key id and its shared secret (never inline), and the header names if not the defaults.',
    examples: [{ keyId: 'gauntlet', secret: '${env:GAUNTLET_SIGNING_SECRET}' }],
    properties: {
      keyId: { type: 'string', minLength: 1, description: 'The key id sent with each signature, naming the secret to the target.', examples: ['gauntlet'] },
      secret: { ...secretRefSchema, description: `The shared HMAC secret. ${String(secretRefSchema.description)}` },
      headers: {
        type: 'object',
        additionalProperties: false,
        description: 'Header names, where the target uses others than the defaults.',
        examples: [{ signature: 'X-Hub-Signature-256' }],
        properties: { keyId: headerName('keyId'), timestamp: headerName('timestamp'), nonce: headerName('nonce'), signature: headerName('signature') },
      },
    },
  },
};
