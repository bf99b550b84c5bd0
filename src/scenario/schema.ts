import { REQUIREMENT_PATTERN } from './requirements.js';
import { OWASP_SCENARIO_VALUES } from '../checks/taxonomy/owasp.js';
import { SEVERITIES, type Severity } from '../results/model.js';
import { DURATION_PATTERN } from '../util/duration.js';
import { documentForEditors, plainText } from './schema-docs.js';

export type JsonSchema = Record<string, unknown>;

/** What a check kind contributes to the language: its own fields, and optionally target-profile sections. */
export interface KindSchema {
  kind: string;
  description: string;
  properties: Record<string, JsonSchema>;
  required?: string[];
  profileProperties?: Record<string, JsonSchema>;
  /** The severity of its checks when a scenario gives none; without it, `severity` is required. */
  defaultSeverity?: Severity;
  /**
   * Paths of secrets inside those profile sections (e.g. ['signing', 'secret']). Like API keys they must be
   * `${env:}`, `${file:}`, `{ env }` or `{ file }`, never inline; the loader resolves and redacts them.
   */
  profileSecrets?: string[][];
}

/** A secret in a profile: `${env:NAME}`, `${file:path}`, `{ env: NAME }` or `{ file: path }`. */
export const secretRefSchema: JsonSchema = {
  description: 'A secret: `${env:NAME}`, `${file:path}`, `{ env: NAME }` or `{ file: path }`. Never inline.',
  anyOf: [
    { type: 'string' },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        env: { type: 'string', description: 'The environment variable that holds the secret.', examples: ['GAUNTLET_KEY_VALID'] },
        file: { type: 'string', description: 'A file that holds the secret (relative to this file); surrounding whitespace is dropped.', examples: ['secrets/valid.key'] },
      },
      minProperties: 1,
      maxProperties: 1,
    },
  ],
  examples: ['${env:GAUNTLET_KEY_VALID}', { file: 'secrets/valid.key' }],
};

export const SCHEMA_BASE_URL = 'https://gauntlet.dev/schemas';

export const durationSchema: JsonSchema = {
  description: 'A duration: `500ms`, `5s`, `2m`, or a number of milliseconds.',
  anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: DURATION_PATTERN }],
  examples: ['5s', '500ms', 2000],
};

export const keyPlacementSchema: JsonSchema = {
  description: 'An API key from the profile: its name (sent as X-API-Key), `none`, or where to put it.',
  anyOf: [
    { type: 'string' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', description: 'The key, by its name in the profile `keys:`.', examples: ['valid'] },
        in: {
          enum: ['header', 'bearer', 'query', 'cookie', 'basic'],
          default: 'header',
          description: 'Where the key goes: a `header`, `Authorization: Bearer`, the `query` string, a `cookie`, or `Authorization: Basic` (the key value is `user:password`).',
        },
        header: { type: 'string', default: 'X-API-Key', description: 'Header name for `in: header` (default `X-API-Key`).', examples: ['X-API-Key', 'Api-Key'] },
        param: { type: 'string', description: 'Query parameter for `in: query` (default `api_key`), or cookie name for `in: cookie`.', examples: ['api_key', 'session'] },
      },
    },
  ],
  examples: ['valid', 'none', { name: 'valid', in: 'bearer' }],
};

const stringMap: JsonSchema = { type: 'object', additionalProperties: { type: 'string' }, examples: [{ 'User-Agent': 'gauntlet', 'Accept-Language': 'en' }] };

const scalarMap: JsonSchema = {
  type: 'object',
  additionalProperties: { type: ['string', 'number', 'boolean'] },
  examples: [{ userId: 42, tenant: 'acme' }],
};

/** Fields every check has. */
export const baseCheckProperties: Record<string, JsonSchema> = {
  id: {
    type: 'string',
    pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
    description: 'Unique in the run; used by `--only`, reports and the flaw registry.',
    examples: ['users.get.status', 'keys.matrix'],
  },
  kind: { type: 'string', description: 'The check kind.' },
  title: { type: 'string', description: 'A plain sentence saying what is checked.', examples: ['GET /api/users/42 answers 200 with the user'] },
  description: { type: 'string', description: 'Why the check matters, shown in reports under its title.', examples: ['A revoked key must stop working at once.'] },
  severity: { enum: [...SEVERITIES], description: 'How bad a failure of this check is.' },
  skip: { type: ['boolean', 'string'], description: '`true`, or the reason to skip (shown in the report).', examples: [true, 'the staging gateway has no rate limit yet'] },
  tags: { type: 'array', items: { type: 'string' }, description: 'Labels that `--tag` selects checks by.', examples: [['smoke', 'auth']] },
  owasp: {
    enum: [...OWASP_SCENARIO_VALUES],
    description: "The OWASP API Security Top 10 (2023) category to file this check's findings under (API1 ... API10), instead of its kind's.",
  },
  cwe: { type: 'integer', minimum: 1, description: "The CWE id to file this check's findings under (639 for CWE-639), instead of its kind's.", examples: [639, 307] },
  mutates: {
    type: 'boolean',
    default: false,
    examples: [true],
    description: 'The check changes data on the target (creates, updates or deletes): it runs only when the profile says `mutations: allowed`.',
  },
  requires: {
    type: 'array',
    uniqueItems: true,
    items: { type: 'string', pattern: REQUIREMENT_PATTERN },
    examples: [['keys.valid', 'vars.protectedPath'], ['https', 'identities.valid'], ['rateLimits.search', 'vars.limitedPath']],
    description:
      'What the target profile must say for this check to fit the target: `vars.NAME`, `keys.NAME`, `identities.NAME`, `rateLimits.NAME`, `signing`, `https`. A check whose requirement is not met is skipped, saying what to add.',
  },
};

export function buildScenarioSchema(kinds: KindSchema[]): JsonSchema {
  const branches = kinds.map((k) => ({
    type: 'object',
    description: k.description,
    additionalProperties: false,
    required: ['id', 'kind', ...(k.defaultSeverity ? [] : ['severity']), ...(k.required ?? [])],
    properties: {
      ...baseCheckProperties,
      kind: { const: k.kind, description: k.description },
      ...(k.defaultSeverity
        ? { severity: { ...baseCheckProperties.severity, default: k.defaultSeverity, description: `How bad a failure of this check is (default \`${k.defaultSeverity}\`).` } }
        : {}),
      ...k.properties,
    },
  }));
  return documentForEditors({
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE_URL}/scenario.schema.json`,
    title: 'gauntlet scenario',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'checks'],
    properties: {
      name: { type: 'string', minLength: 1, description: 'The scenario, as reports name it.', examples: ['API keys', 'Users API basics'] },
      description: { type: 'string', description: 'What this scenario covers, shown in reports.', examples: ['Every key state against GET /api/me.'] },
      tags: { type: 'array', items: { type: 'string' }, description: 'Labels given to every check of the scenario, for `--tag`.', examples: [['smoke']] },
      vars: { ...scalarMap, description: 'Variables usable as `{{name}}` in this scenario (`--var name=value` overrides them).' },
      checks: {
        type: 'array',
        minItems: 1,
        description: 'The checks, run in order; a check may use what an earlier one captured.',
        examples: [[{ id: 'health', kind: 'http', severity: 'high', request: { path: '/health' }, expect: { status: 200 } }]],
        items: {
          type: 'object',
          required: ['kind'],
          // yaml-language-server completes `kind:` from the oneOf branches that best fit the fields already
          // written: after `severity:` only the kinds whose other required fields are absent were offered.
          // Listed here, outside the oneOf, every kind is offered whatever else the check holds.
          properties: { kind: kindChoice(kinds) },
          discriminator: { propertyName: 'kind' },
          oneOf: branches,
        },
      },
    },
  });
}

function kindChoice(kinds: KindSchema[]): JsonSchema {
  return {
    description: 'The check kind: what is checked and which fields the check takes.',
    enum: kinds.map((k) => k.kind),
    markdownEnumDescriptions: kinds.map((k) => k.description),
    enumDescriptions: kinds.map((k) => plainText(k.description)),
  };
}

export function buildProfileSchema(kinds: KindSchema[]): JsonSchema {
  const extensions = Object.assign({}, ...kinds.map((k) => k.profileProperties ?? {})) as Record<string, JsonSchema>;
  const secretRef = secretRefSchema;
  return documentForEditors({
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE_URL}/profile.schema.json`,
    title: 'gauntlet target profile',
    type: 'object',
    additionalProperties: false,
    required: ['target'],
    properties: {
      target: { type: 'string', pattern: '^https?://', description: 'Base URL of the API under test (`--target` overrides it).', examples: ['https://api.example.com', 'http://127.0.0.1:8080'] },
      replicas: {
        type: 'array',
        items: { type: 'string', pattern: '^https?://' },
        description: "Other instances of the same API behind the target: the rate-limit `replicas` probe checks that they share one limit.",
        examples: [['https://api-2.internal.example.com', 'https://api-3.internal.example.com']],
      },
      tls: {
        type: 'object',
        additionalProperties: false,
        description: 'How to trust the server, and the client certificates to present.',
        examples: [{ ca: 'pki/ca.pem', identities: { client: { cert: 'pki/client.pem', key: 'pki/client-key.pem' } } }],
        properties: {
          ca: { type: 'string', description: 'CA bundle (PEM file, relative to the profile) used to verify the server.', examples: ['pki/ca.pem'] },
          servername: { type: 'string', description: 'The name sent in SNI and checked against the certificate, when the target URL has another (an IP address).', examples: ['api.example.com'] },
          insecure: { type: 'boolean', default: false, description: 'Do not verify the server certificate (not recommended; reports say so).', examples: [true] },
          identities: {
            type: 'object',
            description: 'Named client identities (certificate and key), used by `identity:` in requests.',
            examples: [{ client: { cert: 'pki/client.pem', key: 'pki/client-key.pem' } }],
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              required: ['cert', 'key'],
              properties: {
                cert: { type: 'string', description: 'The client certificate (PEM file, relative to the profile).', examples: ['pki/client.pem'] },
                key: { type: 'string', description: 'Its private key (PEM file, relative to the profile).', examples: ['pki/client-key.pem'] },
                passphrase: { ...secretRef, description: `The passphrase of an encrypted key. ${String(secretRef.description)}` },
              },
            },
          },
        },
      },
      keys: {
        type: 'object',
        description: 'Named API keys, used by `key:` in requests. Each is a secret: `${env:NAME}`, `${file:path}`, `{ env: NAME }` or `{ file: path }`, never inline.',
        examples: [{ valid: '${env:GAUNTLET_KEY_VALID}', revoked: { file: 'secrets/revoked.key' } }],
        additionalProperties: secretRef,
      },
      defaults: {
        type: 'object',
        additionalProperties: false,
        description: 'The identity and key used by requests that do not name their own (`none` opts out).',
        examples: [{ key: 'valid' }, { identity: 'client', key: { name: 'valid', in: 'bearer' } }],
        properties: {
          identity: { type: 'string', description: 'A name in `tls.identities`, presented by every request that names none.', examples: ['client'] },
          key: { ...keyPlacementSchema, description: `The key sent by every request that names none. ${String(keyPlacementSchema.description)}` },
        },
      },
      headers: { ...stringMap, description: 'Headers sent with every request.' },
      vars: { ...scalarMap, description: 'Variables usable as `{{name}}` in every scenario run with this profile.' },
      timeouts: {
        type: 'object',
        additionalProperties: false,
        description: 'How long a request may take, and its connection.',
        examples: [{ request: '10s', connect: '5s' }],
        properties: {
          request: { ...durationSchema, default: '10s', description: 'The longest a request may take, answer included (default `10s`).' },
          connect: { ...durationSchema, default: '5s', description: 'The longest a connection (and TLS handshake) may take (default `5s`).' },
        },
      },
      allowLoad: { type: 'boolean', default: false, description: 'Allow bursts and load against a host outside loopback.', examples: [true] },
      pace: {
        type: ['number', 'string'],
        description: 'At most this many requests a second for every check but rate-limit and load measurements (`5`, `0.5`), or a count per duration (`30/min`, `100/15m`): for targets with tight limits.',
        examples: [5, 0.5, '30/min'],
      },
      mutations: {
        enum: ['allowed', 'forbidden'],
        default: 'forbidden',
        description: 'Whether checks that change data on the target (create, update, delete objects: bola, bfla, mass-assignment, `mutates: true`) may run. Default `forbidden`: they are skipped.',
      },
      keyScopes: {
        type: 'object',
        description: 'The scopes each named key holds (key name -> scopes), e.g. to skip a bfla check whose caller holds every scope its operation needs.',
        examples: [{ valid: ['notes:read'], admin: ['notes:read', 'users:write', 'keys:admin'] }],
        additionalProperties: { type: 'array', items: { type: 'string' } },
      },
      ...extensions,
    },
  });
}
