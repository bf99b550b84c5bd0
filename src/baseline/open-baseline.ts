import type { BoundsContext } from '../checks/bounds.js';
import type { CheckKind } from '../checks/types.js';
import type { LoadedScenario } from '../scenario/types.js';
import { Baseline } from './baseline.js';
import { knownFindings } from './known-findings.js';
import { loadBaseline } from './load-baseline.js';

/**
 * The baseline for a run of `scenarios` (every one loaded, before --only, --tag and --shard narrow them), refused
 * before anything is sent when it is malformed or accepts a critical finding without allowCritical.
 */
export function openBaseline(path: string, scenarios: LoadedScenario[], kinds: CheckKind<any>[], context: BoundsContext): Baseline {
  const known = knownFindings(scenarios, kinds, context);
  return new Baseline(loadBaseline(path, known), context.profile.baseUrl, new Set(known.map((f) => f.checkId)));
}
