import type { BoundsContext } from '../checks/bounds.js';
import { CHECK_KINDS } from '../checks/index.js';
import { plannedCasesOf } from '../runner/select.js';
import type { LoadedScenario } from '../scenario/types.js';
import { didYouMean } from '../util/did-you-mean.js';
import { GauntletError } from '../util/errors.js';

/** Every id --only can select: each check's, and each of its planned cases'. */
function selectableIds(scenarios: LoadedScenario[], context: BoundsContext): string[] {
  return scenarios.flatMap((s) =>
    s.checks.flatMap((c) => {
      const kind = CHECK_KINDS.find((k) => k.kind === c.spec.kind);
      return [c.spec.id, ...plannedCasesOf(kind, c.spec, context).map((p) => `${c.spec.id}.${p.suffix}`)];
    }),
  );
}

/** Why --only and --tag selected nothing, with the closest id or tag for a pattern that is a plain name. */
export function nothingSelected(scenarios: LoadedScenario[], selection: { only: string[]; tags: string[] }, context: BoundsContext): GauntletError {
  const hints: string[] = [];
  const ids = selectableIds(scenarios, context);
  for (const pattern of selection.only.filter((p) => !/[*?[\]{}!]/.test(p))) {
    const suggestion = didYouMean(pattern, ids);
    if (suggestion) hints.push(`--only ${pattern}: did you mean ${suggestion}?`);
  }
  const tags = new Set(scenarios.flatMap((s) => [...s.tags, ...s.checks.flatMap((c) => c.spec.tags ?? [])]));
  for (const tag of selection.tags.filter((t) => !tags.has(t))) {
    const suggestion = didYouMean(tag, tags);
    hints.push(`--tag ${tag}: ${suggestion ? `did you mean ${suggestion}?` : `no check carries it${tags.size ? ` (tags: ${[...tags].sort().join(', ')})` : ''}`}`);
  }
  const list = hints.length ? `\n${hints.join('\n')}` : '\ngauntlet run --list (with the same paths and profile) prints every id --only can select';
  return new GauntletError('E_NOTHING_SELECTED', `no checks selected: --only/--tag matched nothing in the given scenarios${list}`);
}
