import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { ScenarioError, type Diagnostic } from '../../src/scenario/diagnostics.js';
import { loadScenarios, type LoadOptions } from '../../src/scenario/load-scenarios.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** A target profile kept in a scenario folder is a profile, not a scenario with eight errors. */
const SCENARIO = 'name: users\nchecks:\n  - { id: users.list, kind: http, severity: low, request: { path: /api/users }, expect: { status: 200 } }\n';
const PROFILE = `# the target, next to its scenarios
target: https://127.0.0.1:8443
keys:
  valid: \${env:GAUNTLET_KEY_VALID}
defaults: { key: valid }
timeouts: { request: 5s, connect: 2s }
rateLimits:
  default: { limit: 10, window: 2s }
`;

function load(paths: string[], options: Partial<LoadOptions> = {}): { notes: Diagnostic[]; errors: Diagnostic[]; scenarios: string[] } {
  const notes: Diagnostic[] = [];
  try {
    const scenarios = loadScenarios(paths, { kinds: CHECK_KINDS, onNote: (n) => notes.push(n), ...options });
    return { notes, errors: [], scenarios: scenarios.map((s) => s.name) };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return { notes, errors: error.diagnostics, scenarios: [] };
  }
}

describe('a target profile among the scenario paths', () => {
  let dir: TempDir;
  let folder: string;
  let profile: string;
  beforeAll(() => {
    dir = tempDir('gauntlet-profiles-');
    dir.file('scenarios/users.yaml', SCENARIO);
    profile = dir.file('scenarios/target.yaml', PROFILE);
    folder = join(dir.path, 'scenarios');
  });
  afterAll(() => dir.remove());

  it('is skipped with a note naming it and -p, where it would have been 8 scenario errors', () => {
    const { notes, errors, scenarios } = load([folder], { otherProfiles: 'skip' });
    expect(errors).toEqual([]);
    expect(scenarios).toEqual(['users']);
    expect(notes).toEqual([
      expect.objectContaining({
        line: 2,
        col: 1,
        code: 'N_PROFILE_SKIPPED',
        message: expect.stringMatching(/target\.yaml is a target profile \(target, keys, defaults, \.\.\.; no checks:\), not a scenario: skipped$/),
        hint: expect.stringMatching(/^pass -p .*target\.yaml to check identity and key names against it$/),
      }),
    ]);
  });

  it('is skipped as the profile in use when it is the one given with -p, even reached through another path', () => {
    const { notes, errors, scenarios } = load([folder], { otherProfiles: 'skip', profileFile: join(folder, '..', 'scenarios', 'target.yaml') });
    expect(errors).toEqual([]);
    expect(scenarios).toEqual(['users']);
    expect(notes).toEqual([expect.objectContaining({ code: 'N_PROFILE_SKIPPED', message: expect.stringContaining('is the target profile given with -p; not read as a scenario') })]);
  });

  it('is one clear error where the command has no profile and would go ahead without it (run without -p)', () => {
    for (const options of [{ otherProfiles: 'error' as const }, { otherProfiles: 'skip' as const, onNote: undefined }, {}]) {
      const { errors } = load([folder], options);
      expect(errors).toEqual([
        expect.objectContaining({
          line: 2,
          col: 1,
          code: 'E_PROFILE_AS_SCENARIO',
          message: expect.stringContaining('is a target profile (target, keys, defaults, ...; no checks:), not a scenario, and this run was given no profile'),
          hint: expect.stringMatching(/^pass it with -p .*target\.yaml/),
        }),
      ]);
      expect(errors[0]!.frame).toBeUndefined();
    }
  });

  it('with a broken shape, reports its profile errors (no code frame) instead of skipping it', () => {
    const broken = dir.file('broken/staging.yaml', 'target: http://127.0.0.1:9\ntimeuots: { request: 2s }\nkeys:\n  valid: { evn: KEY }\n');
    const { notes, errors } = load([broken, join(folder, 'users.yaml')], { otherProfiles: 'skip' });
    expect(notes).toEqual([]);
    expect(errors.map((e) => [e.line, e.code, e.hint])).toEqual([
      [2, 'E_UNKNOWN_FIELD', "did you mean 'timeouts'?"],
      // evn is env with two letters swapped: one edit.
      [4, 'E_UNKNOWN_FIELD', "did you mean 'env'?"],
    ]);
    for (const e of errors) {
      expect(e.message).toContain('(read as a target profile: it has target: and no checks:)');
      expect(e.frame).toBeUndefined();
    }
  });

  it('leaves a file that is neither a scenario nor a profile an error', () => {
    const junk = dir.file('junk/compose.yaml', 'services:\n  api: { image: example }\n');
    const { errors } = load([junk], { otherProfiles: 'skip' });
    expect(errors.map((e) => e.code)).toEqual(['E_MISSING_FIELD', 'E_MISSING_FIELD', 'E_UNKNOWN_FIELD']);
    // A scenario with a stray profile field is still a scenario with an unknown field.
    const mixed = dir.file('junk/mixed.yaml', `target: https://127.0.0.1:8443\n${SCENARIO}`);
    expect(load([mixed], { otherProfiles: 'skip' }).errors).toEqual([expect.objectContaining({ line: 1, code: 'E_UNKNOWN_FIELD', message: "unknown field 'target' in the document" })]);
  });

  it('is an error when the paths hold nothing but profiles', () => {
    const { notes, errors } = load([profile], { otherProfiles: 'skip', profileFile: profile });
    expect(notes).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ code: 'E_NO_SCENARIOS', message: expect.stringContaining('only target profiles') })]);
  });
});
