import { durationSchema, keyPlacementSchema, type JsonSchema } from '../scenario/schema.js';

const scalar: JsonSchema = { type: ['string', 'number', 'boolean'] };

/** The request fields shared by every kind that sends one configurable request. */
export const requestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'The request to send, relative to the target.',
  examples: [{ method: 'GET', path: '/api/users/42' }, { method: 'POST', path: '/api/notes', body: { json: { title: 'hello' } } }],
  properties: {
    method: { type: 'string', pattern: '^[A-Za-z]+$', default: 'GET', description: 'HTTP method (default `GET`).', examples: ['GET', 'POST', 'DELETE'] },
    path: { type: 'string', description: 'Path relative to the target base URL, e.g. `/api/users/42`; `{{name}}` inserts a variable.', examples: ['/api/users/42', '/api/users/{{userId}}'] },
    query: {
      type: 'object',
      description: 'Query parameters: name -> value, or a list of values for a repeated parameter.',
      examples: [{ page: 2, tag: ['a', 'b'] }],
      additionalProperties: { anyOf: [scalar, { type: 'array', items: scalar }] },
    },
    headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Headers of this request, over the profile `headers`.', examples: [{ Accept: 'application/json' }] },
    body: {
      type: 'object',
      description: 'One of `json`, `text`, `form` or `file` (a path relative to the scenario).',
      examples: [{ json: { title: 'hello' } }, { form: { user: 'ada' } }],
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: {
        json: { description: 'A JSON body (sent with `Content-Type: application/json`).', examples: [{ title: 'hello', tags: ['a'] }] },
        text: { type: 'string', description: 'A body sent as it is written (`Content-Type: text/plain` unless `headers` says otherwise).', examples: ['hello'] },
        form: {
          type: 'object',
          additionalProperties: scalar,
          description: 'Form fields, sent as `application/x-www-form-urlencoded`.',
          examples: [{ user: 'ada', remember: true }],
        },
        file: { type: 'string', description: 'A file whose bytes are the body (relative to the scenario).', examples: ['bodies/large.json'] },
      },
    },
    identity: { type: 'string', description: 'A client identity from the profile (`tls.identities`), or `none`.', examples: ['client', 'none'] },
    key: keyPlacementSchema,
    timeout: { ...durationSchema, description: 'The longest this request may take (default: the profile `timeouts.request`).' },
    followRedirects: { type: 'integer', minimum: 0, maximum: 10, default: 0, description: 'Follow up to n redirects, same origin only (default 0).', examples: [3] },
  },
};
