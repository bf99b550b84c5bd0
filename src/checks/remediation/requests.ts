import type { CheckRemediation } from '../../results/model.js';
import type { InputCase } from '../input/spec.js';
import type { VersioningCase } from '../versioning/spec.js';
import { fix, type KindRemediation } from './types.js';

const VALIDATE = fix('Validate each request body against its schema before using it, and answer a body that does not fit with 400 (or 422) and a problem document: never 5xx, never a stack trace.', {
  Express: "express.json() with an error handler that answers err.status (400 for entity.parse.failed), and ajv for the schema",
  'AWS API Gateway': 'a request validator (validateRequestBody: true) with the method model',
});

export const INPUT_REMEDIATIONS: KindRemediation = {
  check: VALIDATE,
  cases: {
    'valid-body': fix('A body that fits the documented schema must be accepted: compare the validator with the documentation.'),
    'malformed-json': VALIDATE,
    'oversized-body': fix('Cap request bodies and answer a larger one with 413 before reading it whole.', {
      nginx: 'client_max_body_size 1m;',
      Express: "express.json({ limit: '100kb' })",
      Kong: 'request-size-limiting plugin config.allowed_payload_size',
      'AWS API Gateway': 'the payload limit is fixed at 10 MB: add an AWS WAF size constraint rule for a smaller cap',
    }),
    'wrong-content-type': fix('Refuse bodies whose Content-Type the operation does not accept with 415, instead of guessing.', {
      Express: "express.json({ type: 'application/json' }) and a check that answers 415 for other types",
      'AWS API Gateway': 'passthroughBehavior: NEVER on the integration (415 for unmapped types)',
    }),
    'deep-nesting': fix('Limit how deeply nested a JSON body may be (a few dozen levels) and refuse deeper ones with 400, before walking them.', {
      nginx: 'client_max_body_size keeps bodies small; the depth limit belongs in the parser or validator',
      Express: 'a depth check in the body validation (ajv maxDepth keyword or a reviver that counts levels)',
    }),
    'unexpected-fields': fix("Refuse (or drop) properties the schema does not declare, especially privileged ones (isAdmin, role): schema additionalProperties: false.", {
      Express: 'ajv with additionalProperties: false on the request schema',
      'AWS API Gateway': 'a request validator with a model that sets additionalProperties: false',
    }),
    'invalid-fields': VALIDATE,
  } satisfies Record<InputCase, CheckRemediation>,
};

const REFUSE_UNKNOWN_VERSION = fix('Refuse an API version that does not exist (404 for a path version, 400 for a header version) instead of serving the default: clients must learn their version is gone.', {
  nginx: 'location ~ ^/v(1|2)/ { proxy_pass ...; } then location ~ ^/v[0-9]+/ { return 404; }',
  Express: "app.use('/v1', v1); app.use('/v2', v2); and a 404 handler for any other /v<n>",
  Kong: 'one route per served version (paths = ["/v1"], ["/v2"]), no catch-all route',
  'AWS API Gateway': 'a base path mapping or stage per served version only',
});

const SERVE_VERSION = fix('Serve each documented version where the documentation says (path or header), and name the version served in the answer header the profile declares.');

export const VERSIONING_REMEDIATIONS: KindRemediation = {
  check: REFUSE_UNKNOWN_VERSION,
  cases: {
    url: SERVE_VERSION,
    header: SERVE_VERSION,
    default: SERVE_VERSION,
    'unsupported-url': REFUSE_UNKNOWN_VERSION,
    'unsupported-header': REFUSE_UNKNOWN_VERSION,
  } satisfies Record<VersioningCase, CheckRemediation>,
};

export const HTTP_REMEDIATIONS: KindRemediation = {
  check: fix("The answer did not meet the scenario's expectations (the failed assertions say which): change the API so it does, or the scenario if the expectation is wrong."),
};
