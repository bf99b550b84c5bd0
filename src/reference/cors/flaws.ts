import type { Flaw } from '../server/flaw-types.js';

/**
 * An origin-check flaw is caught by every probe whose origin it wrongly accepts: reflecting any origin
 * accepts all the bypass origins, so each of those cases fails, and the registry says so.
 */
export const CORS_FLAWS: Flaw[] = [
  {
    name: 'cors-reflect-origin',
    description: 'Any Origin is reflected in Access-Control-Allow-Origin, with credentials.',
    caughtBy: [
      'cors.policy.arbitrary-origin',
      'cors.policy.null-origin',
      'cors.policy.prefix-origin',
      'cors.policy.suffix-origin',
      'cors.policy.substring-origin',
      'cors.policy.unescaped-dot-origin',
      'cors.policy.subdomain-origin',
      'cors.policy.http-downgrade',
      'cors.policy.special-characters',
      'cors.policy.third-party-hosting',
    ],
  },
  {
    name: 'cors-null',
    description: "The 'null' origin (sandboxed iframes, file: pages) is allowed with credentials.",
    caughtBy: ['cors.policy.null-origin'],
  },
  {
    name: 'cors-wildcard-credentials',
    description: 'Every response says Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true.',
    // Browsers refuse credentials with *, so the listed origins lose their credentialed access too.
    caughtBy: ['cors.policy.wildcard', 'cors.policy.wildcard-credentials', 'cors.policy.allowed-origin-1', 'cors.policy.allowed-origin-2'],
  },
  {
    name: 'cors-suffix-match',
    description: "Origins are matched by host suffix, so evilapp.example.com and any subdomain pass as app.example.com.",
    caughtBy: ['cors.policy.suffix-origin', 'cors.policy.subdomain-origin'],
  },
  {
    name: 'cors-no-vary',
    description: 'The allowed origin is echoed per request but responses lack Vary: Origin (cache poisoning).',
    caughtBy: ['cors.policy.vary-origin'],
  },
];
