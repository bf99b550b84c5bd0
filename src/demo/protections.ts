import { randomBytes } from 'node:crypto';
import type { ReferenceServerOptions } from '../reference/server/options.js';
import type { SecretRegistry } from '../results/secrets.js';
import type { TargetProfile } from '../scenario/types.js';

/** The browser origins the demo API serves; scenarios/cors.yaml lists the same ones. */
export const DEMO_ORIGINS = ['https://app.example.com', 'https://admin.example.com'];
export const DEMO_SIGNING_KEY_ID = 'demo-client';

/** The demo's CORS policy: its origins, the methods and headers its API uses, credentials allowed. */
export const DEMO_CORS = {
  origins: DEMO_ORIGINS,
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowHeaders: ['content-type', 'x-api-key', 'authorization', 'api-version', 'x-signature', 'x-signature-key-id', 'x-signature-timestamp', 'x-signature-nonce'],
  exposeHeaders: ['location', 'api-version', 'retry-after', 'ratelimit', 'ratelimit-policy'],
  credentials: true,
  maxAgeSeconds: 600,
};

/**
 * The demo's CORS, security headers, versioning, body validation, request signing and source-address
 * restriction. The signing secret is fresh for every run and goes to the profile (and the redaction list)
 * the way a user's would come from ${env:...}.
 */
export function addProtections(options: ReferenceServerOptions, secrets: SecretRegistry): (profile: TargetProfile) => void {
  const signingSecret = randomBytes(32).toString('base64url');
  secrets.add(signingSecret);
  options.securityHeaders = {};
  options.cors = { ...DEMO_CORS };
  options.versioning = { versions: ['1', '2'], defaultVersion: '1', header: 'API-Version' };
  options.ipRestriction = { allow: ['127.0.0.1/32', '::1/128'] };
  options.signing = { keys: { [DEMO_SIGNING_KEY_ID]: signingSecret } };
  options.validation = { maxBodyBytes: 64 * 1024, maxDepth: 32 };
  return (profile) => {
    profile.extensions.signing = { keyId: DEMO_SIGNING_KEY_ID, secret: signingSecret };
  };
}
