import { describe, expect, it } from 'vitest';
import { YamlSource } from '../../src/scenario/source-map.js';
import { MAX_ALIAS_NODES, MAX_NESTING_DEPTH } from '../../src/scenario/yaml-limits.js';

const blockNested = (levels: number) => 'name: deep\nchecks: []\nx:\n' + Array.from({ length: levels }, (_, i) => `${' '.repeat(i + 1)}k${i}:\n`).join('');
const flowNested = (levels: number) => `name: deep\nchecks: []\nx: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
/** `levels` anchors, each a list of ten aliases of the one before; the first a list of ten words. */
const aliasBomb = (levels: number) =>
  ['name: bomb', 'checks: []', 'a0: &a0 [w, w, w, w, w, w, w, w, w, w]', ...Array.from({ length: levels }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n') + '\n';

const errorsOf = (text: string) => new YamlSource('s.yaml', text).syntaxErrors();

describe('YAML nesting limit', () => {
  it('a block document nested 3000 deep: one located E_YAML_TOO_DEEP naming the limit, not a stack overflow', () => {
    const [error, ...rest] = errorsOf(blockNested(3000));
    expect(rest).toEqual([]);
    // x: is level 1, so the 65th level is the 64th nested key, on line 3 + 64.
    expect(error).toMatchObject({ file: 's.yaml', line: 3 + MAX_NESTING_DEPTH, col: MAX_NESTING_DEPTH + 1, code: 'E_YAML_TOO_DEEP', message: `nested deeper than ${MAX_NESTING_DEPTH} levels` });
    expect(error!.frame).toBeUndefined();
  });

  it('flow style nested 100 000 deep: the same, found before the parser builds it', () => {
    const started = Date.now();
    expect(errorsOf(flowNested(100_000))).toMatchObject([{ line: 3, col: 3 + MAX_NESTING_DEPTH, code: 'E_YAML_TOO_DEEP' }]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it(`exactly ${MAX_NESTING_DEPTH} levels load`, () => {
    const source = new YamlSource('s.yaml', flowNested(MAX_NESTING_DEPTH - 1));
    expect(source.syntaxErrors()).toEqual([]);
    expect(JSON.stringify(source.toJS())).toContain('['.repeat(MAX_NESTING_DEPTH - 1));
    expect(errorsOf(flowNested(MAX_NESTING_DEPTH))).toMatchObject([{ code: 'E_YAML_TOO_DEEP' }]);
  });

  it('aliases that nest past the limit once expanded: located at the alias', () => {
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    // 40 levels under a:, used 30 levels down (the document and 29 brackets).
    const text = `name: n\nchecks: []\na: &a ${deep}\nc: ${'['.repeat(29)}*a${']'.repeat(29)}\n`;
    expect(errorsOf(text)).toMatchObject([{ line: 4, col: 33, code: 'E_YAML_TOO_DEEP', message: `nested deeper than ${MAX_NESTING_DEPTH} levels once alias *a is expanded` }]);
  });
});

describe('YAML alias limits', () => {
  it(`10 x 10 x 10 aliases: E_YAML_ALIAS_LIMIT at the alias that passes ${MAX_ALIAS_NODES} nodes, not yaml's ReferenceError`, () => {
    const source = new YamlSource('s.yaml', aliasBomb(3));
    const errors = source.syntaxErrors();
    expect(errors).toMatchObject([{ line: 6, code: 'E_YAML_ALIAS_LIMIT', message: `aliases expand to more than ${MAX_ALIAS_NODES} nodes` }]);
    expect(errors[0]!.frame).toContain('> 6 | a3: &a3 [*a2');
  });

  it('a billion-node bomb is refused as quickly', () => {
    const started = Date.now();
    expect(errorsOf(aliasBomb(9))).toMatchObject([{ line: 6, code: 'E_YAML_ALIAS_LIMIT' }]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("many uses of a small anchor load (yaml's own guess refused more than 100)", () => {
    const uses = Array(500).fill('*h').join(', ');
    const source = new YamlSource('s.yaml', `name: n\nchecks: []\nh: &h { accept: json }\nall: [${uses}]\n`);
    expect(source.syntaxErrors()).toEqual([]);
    expect((source.toJS() as { all: unknown[] }).all).toHaveLength(500);
  });

  it('an alias inside the anchor it names: E_YAML_ALIAS_CYCLE, not a stack overflow later', () => {
    expect(errorsOf('name: c\nchecks:\n  - &a [x, { y: *a }]\n')).toMatchObject([{ line: 3, col: 17, code: 'E_YAML_ALIAS_CYCLE', message: 'alias *a is inside the &a it refers to, so it would expand forever' }]);
  });
});
