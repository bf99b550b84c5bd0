import { Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { AuditPlan } from './plan/plan.js';

export interface ProfileOptions {
  target: string;
  schemaPath: string;
  header: string[];
}

/**
 * The target profile of a generated audit: the server, a key slot per role of each security scheme (every secret
 * read from the environment), what each key is assumed to hold, the ids the requests use, and the documented rate
 * limits. Commented so that a person knows what to fill in.
 */
export function renderProfile(plan: AuditPlan, options: ProfileOptions): string {
  const { credentials, vars, rateLimits } = plan;
  const primary = credentials.primary ? credentials.schemes.get(credentials.primary) : undefined;
  const data: Record<string, unknown> = { target: options.target };
  if (credentials.slots.length) data.keys = Object.fromEntries(credentials.slots.map((s) => [s.name, `\${env:${s.env}}`]));
  if (credentials.slots.length) data.keyScopes = credentials.keyScopes;
  if (primary?.placement) data.defaults = { key: { name: primary.keys.valid, ...primary.placement } };
  if (vars.vars.size) data.vars = Object.fromEntries([...vars.vars.values()].map((v) => [v.name, v.example]));
  const limits = [...rateLimits].map(([family, limit]) => [family, limit ?? { limit: 1, window: '1s' }] as const);
  if (limits.length) data.rateLimits = Object.fromEntries(limits);

  const doc = new Document(data, { aliasDuplicateObjects: false });
  doc.commentBefore = [` yaml-language-server: $schema=${options.schemaPath}`, ...options.header.map((l) => ` ${l}`)].join('\n');
  /** A comment above `key:` in the map at `mapKey` (the top level when undefined). */
  const comment = (mapKey: string | undefined, key: string, text: string) => {
    const map = (mapKey === undefined ? doc.contents : doc.get(mapKey, true)) as YAMLMap | undefined;
    const pair = map?.items.find((p: Pair) => String((p.key as { value?: unknown }).value ?? p.key) === key);
    if (pair) (pair.key as Node).commentBefore = ` ${text}`;
  };
  comment(undefined, 'target', `The API's servers: ${plan.model.servers.join(', ') || '(none absolute: give --server or edit this)'}.`);
  if (data.keys) {
    comment(undefined, 'keys', 'One key per role and scheme, each read from the environment: never write a key into this file.');
    for (const slot of credentials.slots) comment('keys', slot.name, slot.comment);
  }
  if (data.keyScopes) comment(undefined, 'keyScopes', 'What each key holds, as you issued it (these are guesses from the document): BFLA checks skip a caller that holds every scope an operation needs.');
  if (data.vars) {
    comment(undefined, 'vars', "Ids the requests use: an existing object of the `valid` key's owner each. With mutations: allowed, the create checks make objects and use theirs.");
    for (const v of vars.vars.values()) comment('vars', v.name, `used by ${v.usedBy.slice(0, 4).join(', ')}${v.usedBy.length > 4 ? ', ...' : ''}`);
  }
  if (data.rateLimits) {
    comment(undefined, 'rateLimits', 'The rate limits the document declares, per family of routes.');
    for (const [family, limit] of rateLimits) comment('rateLimits', family, limit ? "from the document's RateLimit-Policy example" : 'the document does not say the limit: write the real one here, and delete the skip line of its check');
  }
  const text = doc.toString({ lineWidth: 0 });
  const footer = [
    ...(primary?.placement
      ? ['', '# A revoked key and an expired one of the same scheme, to prove both are refused (add them under keys:):', `#   revoked: \${env:GAUNTLET_KEY_REVOKED}`, `#   expired: \${env:GAUNTLET_KEY_EXPIRED}`]
      : []),
    '',
    '# Checks that create, change or delete data (objects the audit makes itself, undeclared methods, BOLA, BFLA,',
    '# mass assignment) run only when you allow it, against a target where that is acceptable:',
    '# mutations: allowed',
    ...(credentials.mutualTls
      ? ['', '# Some operations need a client certificate (mutualTLS). Name yours, and the CA of the server:', '# tls:', '#   ca: ca.crt', '#   identities:', '#     valid: { cert: client.crt, key: client.key }']
      : []),
  ];
  return `${text}${footer.join('\n')}\n`;
}
