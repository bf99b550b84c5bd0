import type { Severity } from '../../results/model.js';
import { durationSchema, secretRefSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import type { SignatureHeaderNames } from '../../signing/canonical.js';
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
  tamperedPath: { type: 'string', description: 'Another path that needs a signature.' },
  staleBy: durationSchema,
  refusedStatus: statusSchema,
  severities: severitiesSchema(SIGNING_CASES),
  cases: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...SIGNING_CASES] }, description: 'Run only these cases.' },
};

const headerName: JsonSchema = { type: 'string', pattern: '^[A-Za-z0-9-]+$' };

export const signingProfileProperties: Record<string, JsonSchema> = {
  signing: {
    type: 'object',
    additionalProperties: false,
    required: ['keyId', 'secret'],
    description: 'HMAC request signing: the key id and its shared secret (never inline), and the header names if not the defaults.',
    properties: {
      keyId: { type: 'string', minLength: 1 },
      secret: secretRefSchema,
      headers: {
        type: 'object',
        additionalProperties: false,
        properties: { keyId: headerName, timestamp: headerName, nonce: headerName, signature: headerName },
      },
    },
  },
};
