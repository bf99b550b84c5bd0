import type { KindDefinition } from '../scenario/kind-definition.js';
import type { LoadedCheck, LoadedScenario } from '../scenario/types.js';
import { GauntletError } from '../util/errors.js';

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new GauntletError('E_USAGE', `--shard expects i/n with 1 <= i <= n, e.g. 2/4; got '${text}'`);
  }
  return { index, total };
}

export const formatShard = (shard: Shard) => `${shard.index}/${shard.total}`;

/** Load and bursts take far longer than one request: weigh them so shards finish at similar times. */
const EXCLUSIVE_WEIGHT = 20;

interface Unit {
  key: string;
  scenario: number;
  checks: LoadedCheck[];
  weight: number;
}

/**
 * A deterministic part of the checks. The unit of work is a check (its cases are never split, so a load or
 * rate-limit check runs whole in one shard), or a whole scenario when its checks pass captures to each other.
 * Units go, heaviest first, to the least-loaded shard; ties break on the unit's id, so every shard of a CI
 * matrix computes the same partition from the same files.
 */
export function shardScenarios(scenarios: LoadedScenario[], shard: Shard, kinds: (KindDefinition<any> & { exclusive?: boolean })[]): LoadedScenario[] {
  const kindOf = (check: LoadedCheck) => kinds.find((k) => k.kind === check.spec.kind);
  const weight = (check: LoadedCheck) => (kindOf(check)?.exclusive ? EXCLUSIVE_WEIGHT : 1);
  const units: Unit[] = [];
  scenarios.forEach((scenario, index) => {
    const chained = scenario.checks.some((c) => (kindOf(c)?.captures?.(c.spec) ?? []).length > 0);
    if (chained) {
      units.push({ key: `${scenario.file}#*`, scenario: index, checks: scenario.checks, weight: scenario.checks.reduce((n, c) => n + weight(c), 0) });
    } else {
      for (const check of scenario.checks) units.push({ key: `${scenario.file}#${check.spec.id}`, scenario: index, checks: [check], weight: weight(check) });
    }
  });
  units.sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const load = new Array<number>(shard.total).fill(0);
  const mine = new Set<LoadedCheck>();
  for (const unit of units) {
    let target = 0;
    for (let i = 1; i < shard.total; i++) if (load[i]! < load[target]!) target = i;
    load[target]! += unit.weight;
    if (target === shard.index - 1) for (const check of unit.checks) mine.add(check);
  }
  return scenarios.map((s) => ({ ...s, checks: s.checks.filter((c) => mine.has(c)) })).filter((s) => s.checks.length > 0);
}
