import type { PathAnswer, TargetFacts } from './probe-target.js';

/** Where the target wants its key, from the challenge it answered a request without one with, and a note. */
export function keyPlacementFrom(challenge: string | undefined): { placement: string; note: string } {
  if (/^\s*bearer\b/i.test(challenge ?? '')) return { placement: '{ name: valid, in: bearer }', note: 'it asked for a Bearer token' };
  if (/^\s*basic\b/i.test(challenge ?? '')) return { placement: '{ name: valid, in: basic }', note: 'it asked for Basic credentials: the key is user:password' };
  return { placement: '{ name: valid, in: header, header: X-API-Key }', note: 'change the header to the one your API reads' };
}

const isJson = (a: PathAnswer) => /json/i.test(a.contentType ?? '');
const refusesWithoutKey = (a: PathAnswer) => a.status === 401 || a.status === 403;

/** The starter profile: what the probe saw, and what the built-in scenarios need, each line to confirm or fill in. */
export function renderStarterProfile(facts: TargetFacts, schemaPath: string, header: string[]): string {
  const refused = facts.answers.filter(refusesWithoutKey);
  const readable = facts.answers.find((a) => a.path !== '/' && a.status === 200 && isJson(a));
  const limited = facts.answers.find((a) => Object.keys(a.rateLimitHeaders).length);
  const lines = [`# yaml-language-server: $schema=${schemaPath}`, ...header.map((l) => `# ${l}`), '#', '# What the target answered a caller without credentials:'];
  for (const a of facts.answers) lines.push(`#   GET ${a.path.padEnd(9)} ${a.error ? `no answer (${a.error})` : `${a.status} ${a.contentType ?? ''}${a.challenge ? `, WWW-Authenticate: ${a.challenge}` : ''}`}`.trimEnd());
  if (facts.https) lines.push(`#   TLS: ${facts.asksClientCertificate ? 'the server asks for a client certificate' : 'no client certificate asked for'}`);
  lines.push('', `target: ${facts.target}`, '');

  const placement = keyPlacementFrom(refused.find((a) => a.challenge)?.challenge);
  if (refused.length) {
    lines.push(
      `# ${refused.map((a) => a.path).join(', ')} refused a request without credentials: name your keys here (never write a key into this file).`,
      'keys:',
      '  valid: ${env:GAUNTLET_KEY_VALID}                 # a key that may call readPath and protectedPath',
      '  # under-scoped: ${env:GAUNTLET_KEY_UNDER_SCOPED}  # a valid key without the scope protectedPath needs',
      '  # revoked: ${env:GAUNTLET_KEY_REVOKED}',
      '  # expired: ${env:GAUNTLET_KEY_EXPIRED}',
      `defaults: { key: ${placement.placement} }   # ${placement.note}`,
      '',
    );
  } else {
    lines.push('# No path refused a request without credentials. If the API takes keys, name them here:', '# keys:', '#   valid: ${env:GAUNTLET_KEY_VALID}', '# defaults: { key: valid }', '');
  }

  lines.push('# The routes the built-in scenarios use: a check whose route is not here is skipped, saying so.', 'vars:');
  lines.push(readable ? `  readPath: ${readable.path}        # answered 200 JSON: a GET the default key may make` : '  # readPath: /api/items   # a GET the default key may make, answering JSON');
  lines.push(refused[0] ? `  protectedPath: ${refused[0].path}   # answered ${refused[0].status} without a key: a GET that needs one` : '  # protectedPath: /api/items   # a GET that needs a key (one an under-scoped key may not call)');
  lines.push('  # createPath: /api/items  # a POST that creates from a JSON body (input validation; needs mutations: allowed)');
  lines.push(limited ? `  limitedPath: ${limited.path}   # answered with rate-limit headers` : '  # limitedPath: /api/search   # a rate-limited route (with rateLimits.search below)');
  lines.push('');

  const policy = limited && policyFrom(limited.rateLimitHeaders);
  if (policy) lines.push(`# From ${limited!.path}'s rate-limit headers (${Object.keys(limited!.rateLimitHeaders).join(', ')}):`, 'rateLimits:', `  search: ${policy}`, '');
  else lines.push('# A rate limit to audit (the built-in scenarios call it search):', '# rateLimits:', '#   search: { limit: 100, window: 1m }', '');

  lines.push('# The browser origins the API serves (the cors scenario gives each a positive control):', '# cors: { allowedOrigins: [https://app.example.com], credentials: true }', '');
  if (facts.asksClientCertificate) {
    lines.push('# The server asks for a client certificate: name yours (gauntlet certs makes a test set), and the CA:', '# tls:', '#   ca: ca.crt', '#   identities:', '#     valid: { cert: client.crt, key: client.key }', '');
  }
  lines.push('# Checks that create or change data (input validation, undeclared methods) run only when you allow it:', '# mutations: allowed', '');
  return `${lines.join('\n')}`;
}

/** `{ limit: 10, window: 60s }` from RateLimit-Policy (`10;w=60`, `"default";q=10;w=60`), if it says both. */
function policyFrom(headers: Record<string, string>): string | undefined {
  const policy = headers['ratelimit-policy'];
  if (!policy) return undefined;
  const limit = /(?:^|;)\s*q=(\d+)/.exec(policy)?.[1] ?? /^\s*(\d+)/.exec(policy)?.[1];
  const window = /(?:^|;)\s*w=(\d+)/.exec(policy)?.[1];
  return limit && window ? `{ limit: ${limit}, window: ${window}s }` : undefined;
}
