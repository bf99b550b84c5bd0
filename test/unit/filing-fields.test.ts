import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { ScenarioError, type Diagnostic } from '../../src/scenario/diagnostics.js';
import { loadScenarios } from '../../src/scenario/load-scenarios.js';
import type { LoadedScenario } from '../../src/scenario/types.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('gauntlet-filing-');
afterAll(() => dir.remove());

let counter = 0;
function load(fields: string): LoadedScenario | Diagnostic[] {
  const file = dir.file(`f${counter++}.yaml`, `name: filed\nchecks:\n  - { id: h, kind: http, severity: low, request: { path: / }, expect: { status: 200 }, ${fields} }\n`);
  try {
    return loadScenarios([file], { kinds: CHECK_KINDS })[0]!;
  } catch (error) {
    if (error instanceof ScenarioError) return error.diagnostics;
    throw error;
  }
}

describe('owasp: and cwe: on a check', () => {
  it('accept a category as API1 or API1:2023, and a CWE number', () => {
    for (const owasp of ['API1', 'API10', 'API1:2023']) {
      const scenario = load(`owasp: ${owasp}, cwe: 639`) as LoadedScenario;
      expect(scenario.checks[0]!.spec).toMatchObject({ owasp, cwe: 639 });
    }
  });

  it('refuse what is not one of the ten categories, naming the ones that are', () => {
    const [problem, ...more] = load('owasp: API11') as Diagnostic[];
    expect(more).toEqual([]);
    expect(problem).toMatchObject({ line: 3, code: 'E_BAD_VALUE' });
    expect(problem!.message).toMatch(/^checks\[0\]\.owasp must be one of API1, API2, .*API10\b.*, got string "API11"$/);
  });

  it('refuse a CWE written other than as its number', () => {
    const [text] = load('cwe: CWE-639') as Diagnostic[];
    expect(text).toMatchObject({ code: 'E_WRONG_TYPE', message: 'checks[0].cwe must be integer, got string "CWE-639"' });
    const [zero] = load('cwe: 0') as Diagnostic[];
    expect(zero!.message).toContain('checks[0].cwe must be >= 1');
  });
});
