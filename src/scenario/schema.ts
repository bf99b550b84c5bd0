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
      properties: { env: { type: 'string' }, file: { type: 'string' } },
      minProperties: 1,
      maxProperties: 1,
    },
  ],
};

export const SCHEMA_BASE_URL = 'https://gauntlet.dev/schemas';

export const durationSchema: JsonSchema = {
  description: 'A duration: `500ms`, `5s`, `2m`, or a number of milliseconds.',
  anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: DURATION_PATTERN }],
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
        name: { type: 'string' },
        in: { enum: ['header', 'bearer', 'query', 'cookie', 'basic'], description: 'header, Authorization: Bearer, the query string, a cookie, or Authorization: Basic (the key value is user:password).' },
        header: { type: 'string', description: 'Header name for in: header (default X-API-Key).' },
        param: { type: 'string', description: 'Query parameter for in: query (default api_key), or cookie name for in: cookie.' },
      },
    },
  ],
};

const stringMap: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };

const scalarMap: JsonSchema = {
  type: 'object',
  additionalProperties: { type: ['string', 'number', 'boolean'] },
};

/** Fields every check has. */
export const baseCheckProperties: Record<string, JsonSchema> = {
  id: {
    type: 'string',
    pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
    description: 'Unique in the run; used by `--only`, reports and the flaw registry.',
  },
  kind: { type: 'string', description: 'The check kind.' },
  title: { type: 'string', description: 'A plain sentence saying what is checked.' },
  description: { type: 'string' },
  severity: { enum: [...SEVERITIES], description: 'How bad a failure of this check is.' },
  skip: { type: ['boolean', 'string'], description: 'true, or the reason to skip.' },
  tags: { type: 'array', items: { type: 'string' } },
  owasp: {
    enum: [...OWASP_SCENARIO_VALUES],
    description: "The OWASP API Security Top 10 (2023) category to file this check's findings under (API1 ... API10), instead of its kind's.",
  },
  cwe: { type: 'integer', minimum: 1, description: "The CWE id to file this check's findings under (639 for CWE-639), instead of its kind's." },
  mutates: {
    type: 'boolean',
    description: 'The check changes data on the target (creates, updates or deletes): it runs only when the profile says `mutations: allowed`.',
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
      ...(k.defaultSeverity ? { severity: { ...baseCheckProperties.severity, description: `How bad a failure of this check is (default ${k.defaultSeverity}).` } } : {}),
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
      name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
      vars: { ...scalarMap, description: 'Variables usable as {{name}} in this scenario.' },
      checks: {
        type: 'array',
        minItems: 1,
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
      target: { type: 'string', pattern: '^https?://', description: 'Base URL of the API under test.' },
      replicas: { type: 'array', items: { type: 'string', pattern: '^https?://' } },
      tls: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ca: { type: 'string', description: 'CA bundle (PEM) used to verify the server.' },
          servername: { type: 'string' },
          insecure: { type: 'boolean', description: 'Do not verify the server certificate (not recommended).' },
          identities: {
            type: 'object',
            description: 'Named client identities (certificate and key), used by `identity:` in requests.',
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              required: ['cert', 'key'],
              properties: { cert: { type: 'string' }, key: { type: 'string' }, passphrase: secretRef },
            },
          },
        },
      },
      keys: {
        type: 'object',
        description: 'Named API keys, used by `key:` in requests.',
        additionalProperties: secretRef,
      },
      defaults: {
        type: 'object',
        additionalProperties: false,
        description: 'The identity and key used by requests that do not name their own (`none` opts out).',
        properties: { identity: { type: 'string' }, key: keyPlacementSchema },
      },
      headers: { ...stringMap, description: 'Headers sent with every request.' },
      vars: scalarMap,
      timeouts: {
        type: 'object',
        additionalProperties: false,
        properties: { request: durationSchema, connect: durationSchema },
      },
      allowLoad: { type: 'boolean', description: 'Allow bursts and load against a host outside loopback.' },
      pace: {
        type: ['number', 'string'],
        description: 'At most this many requests a second for every check but rate-limit and load measurements (5, 0.5), or a count per duration (30/min, 100/15m): for targets with tight limits.',
      },
      mutations: {
        enum: ['allowed', 'forbidden'],
        description: 'Whether checks that change data on the target (create, update, delete objects: bola, bfla, mass-assignment, `mutates: true`) may run. Default forbidden: they are skipped.',
      },
      keyScopes: {
        type: 'object',
        description: 'The scopes each named key holds (key name -> scopes), e.g. to skip a bfla check whose caller holds every scope its operation needs.',
        additionalProperties: { type: 'array', items: { type: 'string' } },
      },
      ...extensions,
    },
  });
}
