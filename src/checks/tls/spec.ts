import { durationSchema, type JsonSchema } from '../../scenario/schema.js';
import { DEFAULT_REJECT_STATUS } from '../rejection.js';
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
  host: { type: 'string', description: 'Name the server certificate must be valid for (default: the target host, or `tls.servername`).', examples: ['api.example.com'] },
  minDaysToExpiry: { type: 'number', minimum: 0, default: 30, description: 'Fail when a served certificate expires sooner (default 30).', examples: [14] },
  minKeyBits: {
    type: 'object',
    additionalProperties: false,
    default: { rsa: 2048, ec: 256 },
    description: 'Smallest acceptable server key (default `rsa: 2048`, `ec: 256`).',
    examples: [{ rsa: 3072, ec: 256 }],
    properties: {
      rsa: { type: 'integer', minimum: 512, default: 2048, description: 'Smallest RSA key, in bits (default 2048).', examples: [3072] },
      ec: { type: 'integer', minimum: 160, default: 256, description: 'Smallest elliptic-curve key, in bits (default 256).', examples: [384] },
    },
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
    description: 'Which cases to run (default: all but `client-certificate`, which runs when `clientCertificate` is set).',
    examples: [['chain', 'expiry'], ['legacy-versions', 'modern-versions']],
  },
  identity: { type: 'string', description: 'Client identity for the chain probe when the server insists on one (default: the profile default).', examples: ['valid'] },
  path: {
    type: 'string',
    default: '/',
    description: 'Path the `client-certificate` probe requests without a certificate, and the plain-HTTP check of an `http://` target requests (default `/`).',
    examples: ['/health'],
  },
  rejectStatus: {
    type: 'array',
    minItems: 1,
    items: statusCode,
    default: DEFAULT_REJECT_STATUS,
    description: `HTTP statuses that count as refusing a request without a certificate (default ${DEFAULT_REJECT_STATUS.join(', ')}).`,
    examples: [[401, 403]],
  },
  timeout: { ...durationSchema, description: 'The longest each connection and request may take (default: the profile `timeouts`).' },
};
