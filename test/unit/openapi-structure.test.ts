import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../helpers/openapi.js';
import { openApiProblems } from '../helpers/openapi-structure.js';

/** The hand-written OpenAPI 3.1 check stands in for the official schema: it must refuse what the specification refuses. */
describe('openApiProblems', () => {
  const valid = (): OpenApiDocument => ({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    tags: [{ name: 'things' }],
    paths: {
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          tags: ['things'],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
          security: [{ apiKey: ['things:read'] }],
        },
      },
    },
    components: {
      schemas: { Thing: { type: 'object', properties: { id: { type: 'integer', readOnly: true } } } },
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
    },
  });
  const op = (doc: OpenApiDocument) => doc.paths['/things/{id}']!.get as Record<string, any>;

  it('accepts a valid document', () => {
    expect(openApiProblems(valid())).toEqual([]);
  });

  it.each<[string, (doc: OpenApiDocument) => void, RegExp]>([
    ['another version', (d) => (d.openapi = '3.0.3'), /openapi/],
    ['no responses', (d) => delete op(d).responses, /responses/],
    ['a status that is not one', (d) => (op(d).responses['20'] = { description: 'x' }), /property name/],
    ['a response without description', (d) => delete op(d).responses['200'].description, /description/],
    ['an optional path parameter', (d) => (op(d).parameters[0].required = false), /required/],
    ['a template without its parameter', (d) => (op(d).parameters = []), /do not match the template/],
    ['an undeclared tag', (d) => (op(d).tags = ['other']), /tag other is not declared/],
    ['an undeclared security scheme', (d) => (op(d).security = [{ bearer: [] }]), /security scheme bearer is not declared/],
    ['an apiKey scheme without its header', (d) => delete (d.components!.securitySchemes!.apiKey as Record<string, unknown>).name, /name/],
    ['a $ref to nothing', (d) => (op(d).responses['200'].content['application/json'].schema.$ref = '#/components/schemas/Nothing'), /unresolved \$ref/],
    ['a schema keyword that does not exist', (d) => ((d.components!.schemas!.Thing as Record<string, unknown>).readonly = true), /unknown keyword/],
    ['a misspelled operation field', (d) => (op(d).operationID = 'x'), /additional properties/],
  ])('refuses %s', (_, spoil, message) => {
    const doc = valid();
    spoil(doc);
    expect(openApiProblems(doc).join('\n')).toMatch(message);
  });

  it('refuses two operations with one operationId', () => {
    const doc = valid();
    doc.paths['/things'] = { get: { ...op(doc), parameters: [] } };
    expect(openApiProblems(doc)).toEqual(['GET /things: operationId getThing is not unique']);
  });
});
