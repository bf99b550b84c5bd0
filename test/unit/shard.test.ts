import { describe, expect, it } from 'vitest';
import { parseShard, shardScenarios } from '../../src/runner/shard.js';
import type { LoadedCheck, LoadedScenario } from '../../src/scenario/types.js';

const check = (id: string, kind = 'http', capture = false): LoadedCheck => ({
  spec: { id, kind, severity: 'low', ...(capture ? { capture: { x: '$.id' } } : {}) },
  source: { file: 'f.yaml', line: 1, col: 1 },
  scenarioFile: 'f.yaml',
});
const scenario = (file: string, checks: LoadedCheck[]): LoadedScenario => ({ file, name: file, tags: [], vars: {}, checks });
const kinds = [
  { kind: 'http', description: '', properties: {}, captures: (spec: any) => Object.keys(spec.capture ?? {}) },
  { kind: 'load', description: '', properties: {}, exclusive: true },
];

const scenarios = [
  scenario('a.yaml', [check('a.1'), check('a.2'), check('a.3'), check('a.load', 'load')]),
  scenario('b.yaml', [check('b.1', 'http', true), check('b.2'), check('b.3')]),
  scenario('c.yaml', Array.from({ length: 7 }, (_, i) => check(`c.${i}`))),
];
const ids = (list: LoadedScenario[]) => list.flatMap((s) => s.checks.map((c) => c.spec.id));

describe('sharding', () => {
  it('parses i/n and refuses nonsense', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, total: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it('splits into disjoint shards that together hold every check, the same way every time', () => {
    for (const total of [1, 2, 3, 5]) {
      const parts = Array.from({ length: total }, (_, i) => ids(shardScenarios(scenarios, { index: i + 1, total }, kinds)));
      expect(parts.flat().sort()).toEqual(ids(scenarios).sort());
      expect(new Set(parts.flat()).size).toBe(ids(scenarios).length);
      expect(Array.from({ length: total }, (_, i) => ids(shardScenarios(scenarios, { index: i + 1, total }, kinds)))).toEqual(parts);
    }
  });

  it('keeps a scenario whose checks pass captures together, and balances the rest', () => {
    const parts = Array.from({ length: 3 }, (_, i) => ids(shardScenarios(scenarios, { index: i + 1, total: 3 }, kinds)));
    const withB = parts.filter((p) => p.some((id) => id.startsWith('b.')));
    expect(withB).toHaveLength(1);
    expect(withB[0]!.filter((id) => id.startsWith('b.'))).toEqual(['b.1', 'b.2', 'b.3']);
    // The load check weighs most, so its shard holds the fewest ordinary checks.
    const loadShard = parts.find((p) => p.includes('a.load'))!;
    expect(loadShard.length).toBeLessThan(Math.max(...parts.map((p) => p.length)));
  });
});
