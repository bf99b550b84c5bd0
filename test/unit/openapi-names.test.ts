import { describe, expect, it } from 'vitest';
import { exampleValue, propertiesOf } from '../../src/openapi/example-value.js';
import { operationSlug, parameterVar, pathFamily, slug } from '../../src/openapi/names.js';

describe('names the audit plan gives', () => {
  it('slugs operationIds and paths, and keeps long ones apart', () => {
    expect(slug('listPetsByOwner')).toBe('list-pets-by-owner');
    expect(slug('getHTTPStatus')).toBe('get-http-status');
    expect(operationSlug({ method: 'get', path: '/pets/{petId}/toys' })).toBe('get-pets-pet-id-toys');
    const a = slug(`repos owner repo actions runs run id attempts attempt number logs`);
    const b = slug(`repos owner repo actions runs run id attempts attempt number jobs`);
    expect(a.length).toBeLessThanOrEqual(60);
    expect(a).not.toBe(b);
  });

  it('names path parameters after what they identify, so two paths\' {id}s differ', () => {
    expect(parameterVar('/api/notes/{id}', 'id')).toBe('noteId');
    expect(parameterVar('/categories/{id}', 'id')).toBe('categoryId');
    expect(parameterVar('/pets/{petId}', 'petId')).toBe('petId');
    expect(parameterVar('/users/{user-name}', 'user-name')).toBe('userName');
    expect(pathFamily('/v2/api/pets/{id}')).toBe('pets');
  });
});

describe('example values from a schema', () => {
  it('prefers what the document gives, then builds one from type, format and bounds', () => {
    expect(exampleValue({ type: 'string', example: 'Rex' })).toBe('Rex');
    expect(exampleValue({ type: 'string', enum: ['cat', 'dog'] })).toBe('cat');
    expect(exampleValue({ type: 'string', format: 'email' })).toBe('gauntlet@example.com');
    expect(exampleValue({ type: 'string', minLength: 12 })).toHaveLength(12);
    expect(exampleValue({ type: 'integer', minimum: 5 })).toBe(5);
    expect(exampleValue({ type: 'integer', maximum: 0 })).toBe(0);
  });

  it('fills the required properties of a request body, leaving server-set (readOnly) ones out', () => {
    const schema = { type: 'object', required: ['id', 'name', 'tags'], properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, note: { type: 'string' } } };
    expect(exampleValue(schema, { forRequest: true })).toEqual({ name: 'gauntlet', tags: ['gauntlet'] });
  });

  it('reads the properties of composed (allOf) schemas, and stops at a bounded depth', () => {
    expect(Object.keys(propertiesOf({ allOf: [{ properties: { id: {} } }, { properties: { key: { readOnly: true } } }] }))).toEqual(['id', 'key']);
    const deep: Record<string, unknown> = { type: 'object', required: ['next'], properties: {} };
    let at = deep;
    for (let i = 0; i < 20; i++) {
      const next = { type: 'object', required: ['next'], properties: {} };
      (at.properties as Record<string, unknown>).next = next;
      at = next;
    }
    expect(JSON.stringify(exampleValue(deep)).split('next').length - 1).toBeLessThanOrEqual(7);
  });
});
