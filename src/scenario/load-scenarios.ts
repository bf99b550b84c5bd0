import { dirname } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { SourceLocation } from '../results/model.js';
import { didYouMean } from '../util/did-you-mean.js';
import { ScenarioError, type Diagnostic } from './diagnostics.js';
import { displayPath, expandScenarioPaths } from './files.js';
import { readInputFile } from './input-file.js';
import type { KindDefinition } from './kind-definition.js';
import { profileInUseNote, profileVerdict, sameFile, type ProfilesAmongScenarios } from './profiles-among-scenarios.js';
import { buildScenarioSchema } from './schema.js';
import { compileSchema, schemaProblems } from './schema-errors.js';
import { YamlSource } from './source-map.js';
import type { CheckSpecBase, LoadedCheck, LoadedScenario, TargetProfile } from './types.js';
import { requiredVars, unmetReason, unmetRequirements } from './requirements.js';
import { findVarRefs, resolveLoadTime, type LoadTimeProblem } from './variables.js';

export interface LoadOptions extends ProfilesAmongScenarios {
  kinds: KindDefinition<any>[];
  /** With a profile, identity and key names are checked against it. */
  profile?: TargetProfile;
  /** Variables from the command line (--var). */
  vars?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

interface RawScenario {
  name: string;
  description?: string;
  tags?: string[];
  vars?: Record<string, string | number | boolean>;
  checks: (CheckSpecBase & Record<string, unknown>)[];
}

const validators = new WeakMap<KindDefinition<any>[], ValidateFunction>();

function validatorFor(kinds: KindDefinition<any>[]): ValidateFunction {
  let validate = validators.get(kinds);
  if (!validate) {
    validate = compileSchema(buildScenarioSchema(kinds));
    validators.set(kinds, validate);
  }
  return validate;
}

/**
 * Loads and validates scenario files. Every problem in every file is collected, then thrown together as one
 * ScenarioError, so a user fixes them all in one pass; nothing is sent before loading succeeds.
 */
export function loadScenarios(paths: string[], options: LoadOptions): LoadedScenario[] {
  const { files, diagnostics } = expandScenarioPaths(paths);
  const scenarios: LoadedScenario[] = [];
  const ids = new Map<string, SourceLocation>();
  let profiles = 0;
  for (const file of files) {
    const scenario = loadOne(file, options, diagnostics, ids);
    if (scenario === PROFILE) profiles++;
    else if (scenario) scenarios.push(scenario);
  }
  if (profiles > 0 && profiles === files.length && diagnostics.length === 0) {
    const where = paths.join(', ');
    diagnostics.push({
      file: paths[0]!,
      line: 1,
      col: 1,
      code: 'E_NO_SCENARIOS',
      message: `no scenario in ${where}: only target profiles`,
      hint: 'a scenario has name: and checks:; pass a target profile with -p, and scenario files or folders as paths',
    });
  }
  if (diagnostics.length) throw new ScenarioError(diagnostics);
  return scenarios;
}

/** A file that turned out to be a target profile: reported (noted or as errors), not a scenario. */
const PROFILE = Symbol('profile');

function loadOne(
  file: string,
  options: LoadOptions,
  diagnostics: Diagnostic[],
  ids: Map<string, SourceLocation>,
): LoadedScenario | typeof PROFILE | undefined {
  const shown = displayPath(file);
  if (options.profileFile !== undefined && sameFile(file, options.profileFile)) {
    options.onNote?.(profileInUseNote(shown));
    return PROFILE;
  }
  const read = readInputFile(file);
  if (!('text' in read)) {
    diagnostics.push({ file: shown, line: 1, col: 1, code: read.code, message: `cannot read ${file}: ${read.reason}` });
    return undefined;
  }
  const source = new YamlSource(shown, read.text);
  const syntax = source.syntaxErrors();
  if (syntax.length) {
    diagnostics.push(...syntax);
    return undefined;
  }
  const data = source.toJS();
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    diagnostics.push(source.diagnosticAt([], 'E_NOT_A_SCENARIO', 'a scenario must be a mapping with name and checks'));
    return undefined;
  }
  const profile = profileVerdict(data as Record<string, unknown>, source, options.kinds, options);
  if (profile) {
    if (profile.note) options.onNote?.(profile.note);
    diagnostics.push(...profile.errors);
    return PROFILE;
  }

  const kindNames = options.kinds.map((k) => k.kind);
  const unknownKind = new Set<number>();
  const rawChecks = (data as { checks?: unknown }).checks;
  if (Array.isArray(rawChecks)) {
    rawChecks.forEach((check, index) => {
      const kind = (check as { kind?: unknown } | null)?.kind;
      if (typeof kind === 'string' && !kindNames.includes(kind)) {
        unknownKind.add(index);
        const suggestion = didYouMean(kind, kindNames);
        diagnostics.push(
          source.diagnosticAt(
            ['checks', index, 'kind'],
            'E_UNKNOWN_KIND',
            `unknown check kind '${kind}'`,
            suggestion ? `did you mean '${suggestion}'?` : `known kinds: ${kindNames.join(', ')}`,
          ),
        );
      }
    });
  }

  const checkIndex = (path: (string | number)[]) => (path[0] === 'checks' && typeof path[1] === 'number' ? path[1] : undefined);
  const problems = schemaProblems(validatorFor(options.kinds), data, source).filter((p) => {
    const index = checkIndex(p.path);
    return index === undefined || !unknownKind.has(index);
  });
  const brokenChecks = new Set(unknownKind);
  for (const problem of problems) {
    const index = checkIndex(problem.path);
    if (index !== undefined) brokenChecks.add(index);
  }
  diagnostics.push(...problems.map((p) => p.diagnostic));
  // Outside the checks list the document is unusable; inside it, the other checks are still worth checking.
  if (problems.some((p) => checkIndex(p.path) === undefined)) return undefined;

  const loadProblems: LoadTimeProblem[] = [];
  const raw = resolveLoadTime(data, { baseDir: dirname(file), env: options.env ?? process.env }, loadProblems) as RawScenario;
  for (const problem of loadProblems) diagnostics.push(source.diagnosticAt(problem.path, problem.code, problem.message));

  const scenarioVars = Object.fromEntries(Object.entries(raw.vars ?? {}).map(([k, v]) => [k, String(v)]));
  const defined = new Set([...Object.keys(options.profile?.vars ?? {}), ...Object.keys(options.vars ?? {}), ...Object.keys(scenarioVars)]);
  const reportUndefinedVars = (spec: unknown, at: (string | number)[], required = new Set<string>()) => {
    for (const ref of findVarRefs(spec)) {
      if (defined.has(ref.name) || required.has(ref.name)) continue;
      const suggestion = didYouMean(ref.name, defined);
      diagnostics.push(
        source.diagnosticAt(
          [...at, ...ref.path],
          'E_UNDEFINED_VAR',
          `undefined variable '{{${ref.name}}}'`,
          suggestion ? `did you mean '{{${suggestion}}}'?` : 'define it with vars:, --var name=value, or a capture in an earlier check',
        ),
      );
    }
  };
  const checks: LoadedCheck[] = [];
  raw.checks.forEach((spec, index) => {
    const at = ['checks', index];
    if (brokenChecks.has(index)) {
      if (!unknownKind.has(index)) reportUndefinedVars(spec, at);
      return;
    }
    const location = source.locate(at);
    const kind = options.kinds.find((k) => k.kind === spec.kind)!;
    if (spec.severity === undefined && kind.defaultSeverity) spec.severity = kind.defaultSeverity;
    const previous = ids.get(spec.id);
    if (previous) {
      diagnostics.push(
        source.diagnosticAt([...at, 'id'], 'E_DUPLICATE_ID', `check id '${spec.id}' is already used at ${previous.file}:${previous.line}:${previous.col}`),
      );
    } else {
      ids.set(spec.id, location);
    }
    // A check that does not fit this profile is skipped when it runs: what it names there need not exist.
    const unfit = options.profile ? unmetRequirements(spec.requires, options.profile, options.vars) : [];
    if (unfit.length) options.onNote?.({ ...location, code: 'N_DOES_NOT_FIT', message: `${spec.id} will be skipped: ${unmetReason(unfit, options.profile).replace(/^not run: /, '')}` });
    const validationProfile = unfit.length ? undefined : options.profile;
    for (const issue of kind.validate?.(spec, { profile: validationProfile, scenarioFile: file }) ?? []) {
      diagnostics.push(source.diagnosticAt([...at, ...issue.path], issue.code, issue.message, issue.hint, issue.code === 'E_BAD_JSONPATH'));
    }
    reportUndefinedVars(spec, at, requiredVars(spec.requires));
    for (const name of kind.captures?.(spec) ?? []) defined.add(name);
    checks.push({ spec, source: location, scenarioFile: file });
  });

  return {
    file: shown,
    name: raw.name,
    description: raw.description,
    tags: raw.tags ?? [],
    vars: scenarioVars,
    checks,
  };
}
