import type { JsonSchemaLike } from './model.js';

/** How deep an example is built: past it, an object or array stays empty. */
const MAX_DEPTH = 6;

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {});

/**
 * A value a server should accept for a schema: the document's own example or default first, else one built from
 * the type, format and bounds (required properties only, for objects; server-set readOnly ones left out of request
 * bodies). Deterministic, so generated scenarios do not change from one run of init to the next.
 */
export function exampleValue(schema: JsonSchemaLike | undefined, options: { forRequest?: boolean } = {}, depth = 0): unknown {
  const s = obj(schema);
  if ('example' in s) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if ('default' in s) return s.default;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  for (const key of ['oneOf', 'anyOf'] as const) if (Array.isArray(s[key]) && s[key].length) return exampleValue(obj(s[key][0]), options, depth + 1);
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((part) => obj(exampleValue(obj(part), options, depth + 1))));
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type ?? (s.properties ? 'object' : s.items ? 'array' : undefined)) {
    case 'object': {
      if (depth >= MAX_DEPTH) return {};
      const properties = obj(s.properties);
      const required = new Set(Array.isArray(s.required) ? s.required.map(String) : Object.keys(properties));
      const value: Obj = {};
      for (const [name, property] of Object.entries(properties)) {
        if (!required.has(name)) continue;
        if (options.forRequest && obj(property).readOnly === true) continue;
        value[name] = exampleValue(obj(property), options, depth + 1);
      }
      return value;
    }
    case 'array':
      return depth >= MAX_DEPTH ? [] : Array.from({ length: Math.max(1, Number(s.minItems ?? 1)) }, () => exampleValue(obj(s.items), options, depth + 1));
    case 'integer':
    case 'number':
      return numberIn(s, type === 'integer');
    case 'boolean':
      return true;
    case 'string':
      return stringFor(s);
    default:
      return 'example';
  }
}

function numberIn(s: Obj, integer: boolean): number {
  const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : 0.5) : 1;
  const max = typeof s.maximum === 'number' ? s.maximum : undefined;
  const value = Math.max(min, 1);
  return max !== undefined && value > max ? max : integer ? Math.ceil(value) : value;
}

const FORMATS: Record<string, string> = {
  email: 'gauntlet@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  hostname: 'example.com',
  byte: 'Z2F1bnRsZXQ=',
};

function stringFor(s: Obj): string {
  const format = typeof s.format === 'string' ? s.format : '';
  let value = FORMATS[format] ?? 'gauntlet';
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : undefined;
  if (value.length < min) value = value.padEnd(min, 'x');
  if (max !== undefined && value.length > max) value = value.slice(0, Math.max(max, min));
  return value;
}

/** The properties an object schema declares, with those of its allOf parts (a composed schema is one object). */
export function propertiesOf(schema: JsonSchemaLike | undefined, depth = 0): Record<string, Obj> {
  const s = obj(schema);
  const own = Object.fromEntries(Object.entries(obj(s.properties)).map(([name, property]) => [name, obj(property)]));
  if (depth > MAX_DEPTH || !Array.isArray(s.allOf)) return own;
  return Object.assign({}, ...s.allOf.map((part) => propertiesOf(obj(part), depth + 1)), own);
}
