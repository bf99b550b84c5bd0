import type { CheckRemediation } from '../../results/model.js';
import type { CorsCase } from '../cors/spec.js';
import type { HeadersCase } from '../headers/spec.js';
import { fix, type KindRemediation } from './types.js';

const EXACT_ORIGINS = fix('Grant CORS to an exact list of origins (scheme, host and port compared as whole strings): never reflect the Origin header, match by prefix, suffix or unanchored pattern, or allow null or http: origins.', {
  nginx: 'map $http_origin $cors_origin { default ""; "https://app.example.com" $http_origin; } then add_header Access-Control-Allow-Origin $cors_origin always;',
  Express: "cors({ origin: ['https://app.example.com'], credentials: true }) (an array of strings, not origin: true)",
  Kong: 'cors plugin config.origins: exact origins (a regex entry must be anchored: ^https://app\\.example\\.com$)',
  'AWS API Gateway': 'HTTP API CorsConfiguration.AllowOrigins: exact origins; REST API: a fixed value in the OPTIONS integration response',
});

const NO_WILDCARD = fix('Do not answer Access-Control-Allow-Origin: * on an API that uses credentials or serves private data; list the origins instead, and never combine * with Access-Control-Allow-Credentials: true.', {
  nginx: 'replace add_header Access-Control-Allow-Origin * with the $cors_origin map of allowed origins',
  Express: "cors({ origin: ['https://app.example.com'] }) instead of cors()",
  Kong: "cors plugin config.origins without '*'",
  'AWS API Gateway': "AllowOrigins without '*' when AllowCredentials is true",
});

const FIXED_PREFLIGHT = (what: 'methods' | 'headers') =>
  fix(`Answer preflights with a fixed list of allowed ${what}, not the ones the request asked for.`, {
    nginx: `add_header Access-Control-Allow-${what === 'methods' ? 'Methods "GET, POST"' : 'Headers "Content-Type, Authorization"'} always; (not $http_access_control_request_${what === 'methods' ? 'method' : 'headers'})`,
    Express: what === 'methods' ? "cors({ methods: ['GET', 'POST'] })" : "cors({ allowedHeaders: ['Content-Type', 'Authorization'] })",
    Kong: `cors plugin config.${what}`,
    'AWS API Gateway': `CorsConfiguration.Allow${what === 'methods' ? 'Methods' : 'Headers'}`,
  });

export const CORS_REMEDIATIONS: KindRemediation = {
  check: EXACT_ORIGINS,
  cases: {
    'allowed-origin': fix("Allow each origin the API is meant to serve: add it to the CORS allow-list exactly as browsers send it (scheme, host, port)."),
    'no-origin': fix('Send no CORS grant for an unlisted origin on requests without an Origin header: caches may hand that answer to other origins. Set Access-Control-Allow-Origin only when the request origin is on the list.', {
      nginx: 'the $cors_origin map yields "" without an allowed Origin, and add_header skips empty values',
    }),
    'arbitrary-origin': EXACT_ORIGINS,
    'null-origin': fix('Never allow the origin null: sandboxed iframes and file: pages send it, so anyone can. Remove "null" from the allow-list.', {
      Express: "remove 'null' from the cors origin list",
      Kong: 'remove null from cors config.origins',
    }),
    'prefix-origin': EXACT_ORIGINS,
    'suffix-origin': EXACT_ORIGINS,
    'substring-origin': EXACT_ORIGINS,
    'unescaped-dot-origin': fix('Escape the dots in origin patterns (app\\.example\\.com) and anchor them, or better, list exact origins.', {
      Kong: 'cors plugin config.origins regex entries anchored with dots escaped',
      Express: 'cors origin: exact strings, or /^https:\\/\\/app\\.example\\.com$/',
    }),
    'subdomain-origin': EXACT_ORIGINS,
    'http-downgrade': fix('Allow https: origins only: an http: origin can be injected by anyone on the network path.'),
    'special-characters': EXACT_ORIGINS,
    'third-party-hosting': fix('Do not allow origins on shared hosting domains (*.github.io, *.herokuapp.com, ...): anyone can publish a page there.'),
    wildcard: NO_WILDCARD,
    'wildcard-credentials': NO_WILDCARD,
    'preflight-method-reflection': FIXED_PREFLIGHT('methods'),
    'preflight-header-reflection': FIXED_PREFLIGHT('headers'),
    'vary-origin': fix('Add Vary: Origin to every answer whose Access-Control-Allow-Origin depends on the request, so shared caches keep one copy per origin.', {
      nginx: 'add_header Vary Origin always;',
      Express: 'the cors package adds Vary: Origin when origin is a list; a hand-written middleware must res.vary("Origin")',
      Kong: 'cors plugin adds Vary: Origin when config.origins lists several origins',
    }),
  } satisfies Record<CorsCase, CheckRemediation>,
};

const ON_EVERY_ANSWER = fix('Send the security headers on every answer, errors (401, 404, 429, 5xx) included, not only on successes.', {
  nginx: 'add_header X-Content-Type-Options nosniff always; (without always, add_header skips 4xx and 5xx answers)',
  Express: 'app.use(helmet()) first, before the routers, the 404 handler and the error handler',
  Kong: 'response-transformer plugin config.add.headers (global, so it applies to plugin-generated errors too)',
  'AWS API Gateway': 'gateway responses DEFAULT_4XX and DEFAULT_5XX: add the headers in responseParameters',
});

const HSTS = fix('Send Strict-Transport-Security with a max-age of at least 180 days (15552000 s) on every HTTPS answer; add includeSubDomains when every subdomain serves HTTPS.', {
  nginx: 'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;',
  Express: 'app.use(helmet.strictTransportSecurity({ maxAge: 31536000 }))',
  Kong: 'response-transformer config.add.headers = Strict-Transport-Security:max-age=31536000',
  'AWS API Gateway': 'method and gateway responses with the Strict-Transport-Security header',
});

export const HEADERS_REMEDIATIONS: KindRemediation = {
  check: ON_EVERY_ANSWER,
  cases: {
    success: ON_EVERY_ANSWER,
    unauthorized: ON_EVERY_ANSWER,
    'not-found': ON_EVERY_ANSWER,
    'rate-limited': ON_EVERY_ANSWER,
    hsts: HSTS,
    'hsts-max-age': HSTS,
    'no-version-leak': fix('Do not name the server software and its version (Server, X-Powered-By, Via): it tells attackers which known flaws to try.', {
      nginx: 'server_tokens off;',
      Express: "app.disable('x-powered-by') (helmet does it too)",
      Kong: 'headers = off in kong.conf (drops Server: kong/x.y and Via)',
    }),
  } satisfies Record<HeadersCase, CheckRemediation>,
};
