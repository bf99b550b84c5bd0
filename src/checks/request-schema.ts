import { durationSchema, keyPlacementSchema, type JsonSchema } from '../scenario/schema.js';

const scalar: JsonSchema = { type: ['string', 'number', 'boolean'] };

/** The request fields shared by every kind that sends one configurable request. */
export const requestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    method: { type: 'string', pattern: '^[A-Za-z]+$', description: 'HTTP method (default GET).' },
    path: { type: 'string', description: 'Path relative to the target base URL, e.g. /api/users/42.' },
    query: { type: 'object', additionalProperties: { anyOf: [scalar, { type: 'array', items: scalar }] } },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    body: {
      type: 'object',
      description: 'One of json, text, form or file (a path relative to the scenario).',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: {
        json: {},
        text: { type: 'string' },
        form: { type: 'object', additionalProperties: scalar },
        file: { type: 'string' },
      },
    },
    identity: { type: 'string', description: 'A client identity from the profile (tls.identities), or none.' },
    key: keyPlacementSchema,
    timeout: durationSchema,
    followRedirects: { type: 'integer', minimum: 0, maximum: 10, description: 'Follow up to n redirects, same origin only (default 0).' },
  },
};
