import type { ApiKeyCase } from '../api-key/spec.js';
import type { SigningCase } from '../signing/spec.js';
import type { CheckRemediation } from '../../results/model.js';
import { fix, type KindRemediation } from './types.js';

const REQUIRE_KEY = fix('Authenticate every route that is not public before its handler runs: a request without a valid key gets 401 with a WWW-Authenticate challenge.', {
  nginx: 'auth_request /auth; in the API location (the auth subrequest answers 401 for a missing or unknown key)',
  Express: "app.use('/api', requireApiKey) before the routers, so no route is mounted ahead of the check",
  Kong: 'key-auth plugin on the service or route, with no anonymous consumer (config.anonymous unset)',
  'AWS API Gateway': 'apiKeyRequired: true on each method, with a usage plan, or a Lambda/Cognito authorizer',
});

const LOOK_UP_KEY = fix('Look each key up in the key store and refuse one that is not there with 401; a key that cannot be parsed is refused the same way (400 or 401), never with a 5xx.', {
  Express: 'in the key middleware: return res.status(401) when the lookup finds nothing; catch parse errors there',
  Kong: 'key-auth refuses unknown keys itself: make sure every route is behind the plugin',
});

const REVOKE = fix('Check revocation on every request: a revoked key is refused at once, or within the window the API promises. Cached key lookups must expire within that window, or be invalidated on revocation.', {
  Express: 'check revokedAt in the key lookup; keep any lookup cache TTL shorter than the promised window',
  Kong: 'delete the key credential (DELETE /consumers/{consumer}/key-auth/{id}); lower db_cache_ttl if the window is short',
  'AWS API Gateway': 'aws apigateway update-api-key --patch-operations op=replace,path=/enabled,value=false',
});

const EXPIRE = fix('Store an expiry with each key and refuse it once past (401); a rotated-out key stops working when its grace period ends.', {
  Express: 'compare expiresAt with the clock in the key lookup, not only when listing keys',
  Kong: 'create key credentials with a ttl (POST /consumers/{consumer}/key-auth with ttl=<seconds>)',
  'AWS API Gateway': 'API keys do not expire: rotate them by disabling the old key, or use an authorizer that checks expiry',
});

export const API_KEY_REMEDIATIONS: KindRemediation = {
  check: REQUIRE_KEY,
  cases: {
    missing: REQUIRE_KEY,
    malformed: LOOK_UP_KEY,
    unknown: LOOK_UP_KEY,
    revoked: REVOKE,
    expired: EXPIRE,
    'under-scoped': fix("Check the key's scopes against the route as well as the key itself: a valid key without the route's scope gets 403.", {
      Express: "a per-route middleware, e.g. router.post('/orders', requireScope('orders:write'), handler)",
      Kong: 'acl plugin on the route (config.allow: the consumer groups that may call it)',
      'AWS API Gateway': 'authorizationScopes on the method (Cognito), or a Lambda authorizer that returns a policy per route',
    }),
    valid: fix('A valid key must be served: check that the server reads the key where the profile places it (header name, scheme) and that the key store holds it.', {
      Kong: 'key-auth config.key_names must list the header the clients send',
      'AWS API Gateway': 'apiKeySource: HEADER reads x-api-key; the key must be in a usage plan of the stage',
    }),
    query: fix('Accept keys in a header only, never in the query string: URLs end up in logs, browser history and Referer headers.', {
      nginx: 'if ($arg_api_key) { return 400; } in the API location, and keep keys out of access_log formats',
      Express: 'read the key from req.get(...) only, never from req.query',
      Kong: 'key-auth config.key_in_query = false (config.key_in_header = true)',
      'AWS API Gateway': 'apiKeySource: HEADER (not AUTHORIZER with a query mapping)',
    }),
    'www-authenticate': fix('Send a WWW-Authenticate challenge with every 401 (RFC 9110 §11.6.1), naming the scheme the API expects.', {
      nginx: `add_header WWW-Authenticate 'ApiKey realm="api"' always; where the 401 is produced`,
      Express: `res.set('WWW-Authenticate', 'ApiKey realm="api"').status(401)`,
      Kong: 'key-auth config.realm (Kong 3.x sends the challenge when a realm is set)',
      'AWS API Gateway': 'gateway responses UNAUTHORIZED and MISSING_AUTHENTICATION_TOKEN: add the WWW-Authenticate response header',
    }),
    echo: fix('Never repeat the submitted key in an answer: error documents say that the key was refused, not what it was.', {
      Express: 'build 401 bodies from a fixed message; do not interpolate req.get(keyHeader) into them',
      'AWS API Gateway': 'gateway response templates with $context.error.messageString only, no request parameters',
    }),
    'no-stack-trace': fix('Answer errors with a short problem document (RFC 9457); log stack traces and file paths, never send them.', {
      nginx: 'proxy_intercept_errors on; error_page 500 502 503 504 /50x.json;',
      Express: 'NODE_ENV=production and a last error handler (err, req, res, next) that sends { title, status } only',
      'AWS API Gateway': 'gateway response DEFAULT_5XX with a fixed template; Lambda handlers catch and map errors',
    }),
    create: fix('Store only a hash of each key (SHA-256 of a high-entropy key, or an HMAC); show the key once, when it is created, and list keys by id and prefix only.'),
    rotation: EXPIRE,
    revocation: REVOKE,
  } satisfies Record<ApiKeyCase, CheckRemediation>,
};

export const API_KEY_TIMING_REMEDIATIONS: KindRemediation = {
  check: fix('Make refusing a guessed key take the same time whatever it shares with a real key: look keys up by a hash of the whole key (not by a prefix followed by a slow check), and compare in constant time.', {
    Express: "crypto.timingSafeEqual on HMAC digests of the presented and stored keys; index the store by sha256(key)",
    Kong: 'key-auth looks keys up whole (do not put a custom prefix lookup in front of it)',
  }),
};

const SIGNATURE = fix('Verify the signature on every request before anything else, over the method, path, query, body digest and timestamp, and refuse a missing or wrong one with 401.', {
  Express: 'a middleware that recomputes the HMAC over the canonical request and compares it with crypto.timingSafeEqual',
  Kong: 'hmac-auth plugin with config.enforce_headers = ["date", "@request-target", "digest"] and config.validate_request_body = true',
  'AWS API Gateway': 'authorizationType: AWS_IAM (SigV4 covers method, path, query, body and date)',
});

const FRESHNESS = fix('Refuse a signed request whose timestamp is outside a short window (a few minutes either way) and remember each nonce for that window, so a captured request cannot be replayed.', {
  Express: 'reject |now - timestamp| > 300 s; keep seen nonces in Redis with SET nonce 1 NX EX 300',
  Kong: 'hmac-auth config.clock_skew = 300',
  'AWS API Gateway': 'AWS_IAM (SigV4) refuses requests older than 5 minutes',
});

export const SIGNING_REMEDIATIONS: KindRemediation = {
  check: SIGNATURE,
  cases: {
    valid: fix('A correctly signed request must be served: compare the canonical request the server builds with the one the client signs (header order, query encoding, body digest) and check the server clock.'),
    unsigned: SIGNATURE,
    'tampered-body': SIGNATURE,
    'tampered-path': SIGNATURE,
    'tampered-query': SIGNATURE,
    'stale-timestamp': FRESHNESS,
    'future-timestamp': FRESHNESS,
    'replayed-nonce': FRESHNESS,
  } satisfies Record<SigningCase, CheckRemediation>,
};
