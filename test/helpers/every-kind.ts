/**
 * One check of every kind, each written as a user would point it at an API that is supposed to be protected, and
 * the profile they need (keys from the environment, key management, signing, a declared rate limit, mutations allowed).
 */
export const EVERY_KIND: Record<string, string> = {
  http: '{ id: k.http, kind: http, severity: high, request: { path: /api/data, followRedirects: 5 }, expect: { status: 401 } }',
  mtls: '{ id: k.mtls, kind: mtls, severity: high, path: /api/data, whoami: /whoami }',
  tls: '{ id: k.tls, kind: tls, severity: high, clientCertificate: required }',
  'api-key': '{ id: k.api-key, kind: api-key, severity: high, request: { path: /api/data }, lifecycle: { graceTolerance: 200ms, revocationWithin: 500ms, pollInterval: 50ms } }',
  'api-key-timing': '{ id: k.api-key-timing, kind: api-key-timing, severity: low, request: { path: /api/data }, samples: 20, warmup: 2, maxDuration: 3s }',
  cors: '{ id: k.cors, kind: cors, severity: medium, request: { path: /api/data }, allowedOrigins: [https://app.example.com], credentials: true }',
  headers: `{ id: k.headers, kind: headers, severity: medium, responses: { success: { request: { path: /api/data, key: valid } }, rate-limited: { request: { path: /api/search, key: valid }, burst: { max: 20, within: 1s, concurrency: 4, cooldownMax: 1s } } } }`,
  input: '{ id: k.input, kind: input, severity: medium, request: { path: /api/users, key: valid }, validBody: { name: Ada, email: ada@example.com } }',
  versioning: `{ id: k.versioning, kind: versioning, severity: medium, request: { path: /api/data }, versions: ['1', '2'], url: "/api/v{version}/data", servedHeader: API-Version }`,
  signing: '{ id: k.signing, kind: signing, severity: high, request: { method: PUT, path: /api/users/3, body: { json: { name: Grace } } }, tamperedPath: /api/users/2 }',
  'ip-restriction': '{ id: k.ip-restriction, kind: ip-restriction, severity: high, request: { path: /api/admin/stats }, allowedFrom: 127.0.0.1, outsideFrom: 127.0.0.2 }',
  'rate-limit': '{ id: k.rate-limit, kind: rate-limit, severity: high, request: { path: /api/search, key: rl1 }, policy: search, maxDuration: 20s }',
  methods: '{ id: k.methods, kind: methods, severity: medium, request: { path: /api/data }, declared: [GET], try: [TRACE, PUT] }',
  load: '{ id: k.load, kind: load, severity: medium, request: { path: /api/search, key: rl-load }, load: { connections: 2, duration: 1s }, expect: { refusedShare: { min: 0.9 } } }',
  bola: `{ id: k.bola, kind: bola, owner: valid, intruder: other-owner, create: { method: POST, path: /api/notes, body: { json: { title: mine } } }, read: { path: "/api/notes/{id}" }, update: { method: PATCH, path: "/api/notes/{id}", body: { json: { title: changed } } }, delete: { method: DELETE, path: "/api/notes/{id}" } }`,
  bfla: `{ id: k.bfla, kind: bfla, caller: valid, admin: admin, create: { method: POST, path: /api/users, body: { json: { name: Ada } } }, request: { method: DELETE, path: "/api/users/{id}" }, read: { path: "/api/users/{id}" } }`,
  'mass-assignment': `{ id: k.mass-assignment, kind: mass-assignment, caller: valid, create: { method: POST, path: /api/users, body: { json: { name: Ada, email: ada@example.com } } }, update: { method: PATCH, path: "/api/users/{id}", body: { json: { name: Grace } } }, read: { path: "/api/users/{id}" }, inject: { role: admin }, declared: [id, name, email, role] }`,
};

const KEY_NAMES = ['valid', 'under-scoped', 'revoked', 'expired', 'unknown', 'admin', 'other-owner', 'rl1', 'rl2', 'rl3', 'rl-load'];
const keyValue = (name: string) => `gk_live_${name.replace(/\W/g, '').padEnd(43, 'A')}AAAAAA`;
const envName = (name: string) => `HOSTILE_KEY_${name.replace(/\W/g, '_').toUpperCase()}`;


/** The environment the profile reads its key values and signing secret from. */
export function everyKindEnv(): Record<string, string> {
  return Object.fromEntries([...KEY_NAMES.map((name) => [envName(name), keyValue(name)]), ['HOSTILE_SIGNING_SECRET', 'hostile-signing-secret']]);
}

/** The profile section every kind needs beyond the target (and the TLS section, when there is one); bola, bfla and mass-assignment change data. */
export function everyKindProfile(target: string, tlsSection = ''): string {
  return `target: ${target}
${tlsSection}
mutations: allowed
keys:
${KEY_NAMES.map((name) => `  ${name}: \${env:${envName(name)}}`).join('\n')}
keyManagement:
  create: { path: /admin/keys, body: { name: probe, scopes: [data:read] } }
  rotate: { path: "/admin/keys/{id}/rotate", grace: 300ms }
  revoke: { path: "/admin/keys/{id}/revoke" }
  list: { path: /admin/keys }
signing: { keyId: k1, secret: { env: HOSTILE_SIGNING_SECRET } }
rateLimits:
  search: { limit: 5, window: 1s, keys: [rl2, rl3] }
`;
}

/** A scenario file per kind under `dir` (kinds that run alone do not hold the others up). */
export function everyKindScenarios(write: (name: string, text: string) => unknown): void {
  for (const [kind, check] of Object.entries(EVERY_KIND)) write(`scenarios/${kind}.yaml`, `name: ${kind}\nchecks:\n  - ${check}\n`);
}
