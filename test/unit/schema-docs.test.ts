import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { buildProfileSchema, buildScenarioSchema, type JsonSchema } from '../../src/scenario/schema.js';
import { plainText } from '../../src/scenario/schema-docs.js';

interface Property {
  path: string;
  schema: JsonSchema;
}

/** Every property of every object in a schema, wherever it is (kind branches, items, map values, unions). */
function propertiesOf(schema: JsonSchema, path = ''): Property[] {
  const found: Property[] = [];
  const visit = (node: unknown, at: string) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const s = node as JsonSchema;
    const kind = (s.properties as Record<string, JsonSchema> | undefined)?.kind?.const;
    const here = typeof kind === 'string' ? `${at}(${kind})` : at;
    for (const [name, child] of Object.entries((s.properties as Record<string, JsonSchema> | undefined) ?? {})) {
      found.push({ path: `${here}.${name}`, schema: child });
      visit(child, `${here}.${name}`);
    }
    for (const key of ['anyOf', 'oneOf', 'allOf']) for (const branch of (s[key] as unknown[] | undefined) ?? []) visit(branch, here);
    visit(s.items, `${here}[]`);
    visit(s.additionalProperties, `${here}.*`);
  };
  visit(schema, path);
  return found;
}

const SCHEMAS = {
  scenario: buildScenarioSchema(CHECK_KINDS),
  profile: buildProfileSchema(CHECK_KINDS),
};

const ajv = new Ajv({ strict: false, allErrors: true });

describe.each(Object.entries(SCHEMAS))('the %s schema teaches in an editor', (_name, schema) => {
  const properties = propertiesOf(schema);

  it('describes every property, in plain text and in Markdown', () => {
    const undescribed = properties.filter((p) => typeof p.schema.description !== 'string' || typeof p.schema.markdownDescription !== 'string');
    expect(undescribed.map((p) => p.path)).toEqual([]);
    for (const { schema: s } of properties) expect(s.description).toBe(plainText(s.markdownDescription as string));
  });

  it('gives every property examples that its own schema accepts', () => {
    const problems: string[] = [];
    for (const { path, schema: s } of properties) {
      const examples = s.examples as unknown[] | undefined;
      if (!Array.isArray(examples) || examples.length === 0) {
        problems.push(`${path}: no examples`);
        continue;
      }
      const validate = ajv.compile(s);
      for (const example of examples) if (!validate(example)) problems.push(`${path}: example ${JSON.stringify(example)} ${ajv.errorsText(validate.errors)}`);
    }
    expect(problems).toEqual([]);
  });

  it('gives as `default` the default a description names, and accepts it', () => {
    const problems: string[] = [];
    for (const { path, schema: s } of properties) {
      const named = /\(default (-?\d+(?:\.\d+)?|true|false)\)/.exec(s.description as string)?.[1];
      if (named !== undefined && String(s.default) !== named) problems.push(`${path}: says default ${named}, has ${JSON.stringify(s.default)}`);
      if ('default' in s && !ajv.validate(s, s.default)) problems.push(`${path}: default ${JSON.stringify(s.default)} ${ajv.errorsText()}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the scenario schema', () => {
  it('offers every registered kind outside the per-kind branches, each with its description', () => {
    const kind = ((SCHEMAS.scenario.properties as any).checks.items.properties.kind ?? {}) as JsonSchema;
    expect(kind.enum).toEqual(CHECK_KINDS.map((k) => k.kind));
    expect(kind.markdownEnumDescriptions).toEqual(CHECK_KINDS.map((k) => k.description));
  });
});
