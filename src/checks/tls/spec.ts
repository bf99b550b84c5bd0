import { durationSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';

export const TLS_PROBES = ['chain', 'expiry', 'key-size', 'signature', 'legacy-versions', 'modern-versions', 'client-certificate'] as const;
export type TlsProbeName = (typeof TLS_PROBES)[number];
/** Probed when `probes` is absent; client-certificate joins them when `clientCertificate` is set. */
export const DEFAULT_TLS_PROBES: TlsProbeName[] = ['chain', 'expiry', 'key-size', 'signature', 'legacy-versions', 'modern-versions'];

export type ClientCertificateMode = 'none' | 'optional' | 'required';

export interface TlsSpec extends CheckSpecBase {
  host?: string;
  minDaysToExpiry?: number;
  minKeyBits?: { rsa?: number; ec?: number };
  clientCertificate?: ClientCertificateMode;
  probes?: TlsProbeName[];
  identity?: string;
  path?: string;
  rejectStatus?: number[];
  timeout?: string | number;
}

const statusCode: JsonSchema = { type: 'integer', minimum: 400, maximum: 599 };

export const tlsProperties: Record<string, JsonSchema> = {
  host: { type: 'string', description: 'Name the server certificate must be valid for (default: the target host, or tls.servername).' },
  minDaysToExpiry: { type: 'number', minimum: 0, description: 'Fail when a served certificate expires sooner (default 30).' },
  minKeyBits: {
    type: 'object',
    additionalProperties: false,
    description: 'Smallest acceptable server key (default rsa: 2048, ec: 256).',
    properties: { rsa: { type: 'integer', minimum: 512 }, ec: { type: 'integer', minimum: 160 } },
  },
  clientCertificate: {
    enum: ['none', 'optional', 'required'],
    description: 'Whether the server must not ask for, may ask for, or must require a client certificate.',
  },
  probes: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: [...TLS_PROBES] },
    description: 'Which cases to run (default: all but client-certificate, which runs when clientCertificate is set).',
  },
  identity: { type: 'string', description: 'Client identity for the chain probe when the server insists on one (default: the profile default).' },
  path: { type: 'string', description: 'Path the client-certificate probe requests without a certificate, and the plain-HTTP check of an http:// target requests (default /).' },
  rejectStatus: { type: 'array', minItems: 1, items: statusCode, description: 'HTTP statuses that count as refusing a request without a certificate.' },
  timeout: durationSchema,
};
