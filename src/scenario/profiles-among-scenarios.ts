import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { Diagnostic } from './diagnostics.js';
import type { KindDefinition } from './kind-definition.js';
import { profileFieldsIn } from './profile-shape.js';
import { buildProfileSchema, buildScenarioSchema } from './schema.js';
import { compileSchema, schemaProblems } from './schema-errors.js';
import type { YamlSource } from './source-map.js';

/**
 * A target profile kept next to the scenarios (scenarios/target.yaml) is found by every folder walk. It is
 * recognised by its shape and never read as a scenario: the one given with -p is skipped with a note; another is
 * skipped with a note when the command has a profile or sends nothing (validate), its shape checked against the
 * profile schema, and is an error for a run without -p, which would otherwise go ahead without it.
 */
export interface ProfilesAmongScenarios {
  /** The profile file in use (-p). */
  profileFile?: string;
  /** What another profile is: skipped with a note, or an error. Skipping needs `onNote`. */
  otherProfiles?: 'skip' | 'error';
  /** Receives each note as it is found, so nothing is skipped in silence. */
  onNote?: (note: Diagnostic) => void;
}

interface ProfileSchemas {
  fields: string[];
  /** Compiled on first use: most runs meet no profile among their scenarios. */
  validate(): ValidateFunction;
}
const schemas = new WeakMap<KindDefinition<any>[], ProfileSchemas>();

function profileSchemas(kinds: KindDefinition<any>[]): ProfileSchemas {
  let found = schemas.get(kinds);
  if (!found) {
    const profile = buildProfileSchema(kinds);
    const scenarioFields = Object.keys((buildScenarioSchema(kinds).properties as object | undefined) ?? {});
    // Fields both may have (vars, $schema) say nothing about which one a file is.
    const fields = Object.keys(profile.properties as object).filter((f) => !scenarioFields.includes(f));
    let compiled: ValidateFunction | undefined;
    found = { fields, validate: () => (compiled ??= compileSchema(profile)) };
    schemas.set(kinds, found);
  }
  return found;
}

export function sameFile(a: string, b: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(resolve(path));
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}

/** The note for the -p profile met among the scenario paths. */
export function profileInUseNote(shown: string): Diagnostic {
  return { file: shown, line: 1, col: 1, code: 'N_PROFILE_SKIPPED', message: `${shown} is the target profile given with -p; not read as a scenario` };
}

/**
 * When `data` is shaped like a target profile, what to report instead of scenario errors: a note (skipped) or
 * diagnostics (a profile where none was given, or one whose shape is wrong). Undefined for anything else.
 * No code frames: a profile line may hold a key.
 */
export function profileVerdict(
  data: Record<string, unknown>,
  source: YamlSource,
  kinds: KindDefinition<any>[],
  options: ProfilesAmongScenarios,
): { note?: Diagnostic; errors: Diagnostic[] } | undefined {
  const { fields, validate } = profileSchemas(kinds);
  const found = profileFieldsIn(Object.keys(data), fields);
  if (!found) return undefined;
  const shown = source.file;
  const what = `${shown} is a target profile (${found.slice(0, 3).join(', ')}${found.length > 3 ? ', ...' : ''}; no checks:), not a scenario`;
  const at = source.locate([found[0]!], true);
  if (options.otherProfiles !== 'skip' || !options.onNote) {
    return {
      errors: [
        {
          ...at,
          code: 'E_PROFILE_AS_SCENARIO',
          message: `${what}, and this run was given no profile`,
          hint: `pass it with -p ${shown} (--target still overrides its target), or keep it out of the scenario paths`,
        },
      ],
    };
  }
  const problems = schemaProblems(validate(), data, source).map(({ diagnostic }) => ({
    ...diagnostic,
    message: `${diagnostic.message} (read as a target profile: it has ${found[0]}: and no checks:)`,
    frame: undefined,
  }));
  if (problems.length) return { errors: problems };
  const uses = options.profileFile ? `this command uses ${options.profileFile}` : `pass -p ${shown} to check identity and key names against it`;
  return { note: { ...at, code: 'N_PROFILE_SKIPPED', message: `${what}: skipped`, hint: uses }, errors: [] };
}
