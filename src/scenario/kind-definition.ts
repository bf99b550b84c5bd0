import type { KindSchema } from './schema.js';
import type { JsonPath } from './source-map.js';
import type { CheckSpecBase, TargetProfile } from './types.js';

/** A problem found in a check's spec at load time, at a path relative to the check. */
export interface SpecIssue {
  path: JsonPath;
  code: string;
  message: string;
  hint?: string;
}

export interface SpecValidationContext {
  /** Present when validating for a run (or `validate --profile`): names can be checked against it. */
  profile?: TargetProfile;
  scenarioFile?: string;
}

/** What the loader needs to know of a check kind: its schema and its load-time hooks. */
export interface KindDefinition<Spec extends CheckSpecBase = CheckSpecBase & Record<string, unknown>> extends KindSchema {
  /** Checks beyond the JSON Schema: regexes, paths, names of identities and keys. */
  validate?(spec: Spec, context: SpecValidationContext): SpecIssue[];
  /** Names this check captures, usable as {{name}} by later checks of the scenario. */
  captures?(spec: Spec): string[];
}
