import { describe, expect, it } from 'vitest';
import { YamlSource } from '../../src/scenario/source-map.js';

describe('YAML aliases', () => {
  it('reports an alias without its anchor as a located syntax error instead of throwing later', () => {
    const source = new YamlSource('s.yaml', 'name: x\nchecks:\n  - kind: *http\n');
    expect(source.syntaxErrors()).toMatchObject([{ line: 3, col: 11, code: 'E_YAML_SYNTAX', message: 'alias *http has no anchor &http before it' }]);
  });

  it('accepts an alias whose anchor comes first', () => {
    const source = new YamlSource('s.yaml', 'a: &k http\nb: *k\n');
    expect(source.syntaxErrors()).toEqual([]);
    expect(source.toJS()).toEqual({ a: 'http', b: 'http' });
  });
});
