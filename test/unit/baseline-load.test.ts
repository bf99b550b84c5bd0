import { afterAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_REASON } from '../../src/baseline/entry.js';
import type { KnownFinding } from '../../src/baseline/known-findings.js';
import { loadBaseline } from '../../src/baseline/load-baseline.js';
import { ScenarioError, sortDiagnostics } from '../../src/scenario/diagnostics.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
afterAll(() => dir.remove());

const at = { file: 'scenarios/api.yaml', line: 4, col: 5 };
const KNOWN: KnownFinding[] = [
  { id: 'headers.server', checkId: 'headers.server', severity: 'medium', source: at },
  { id: 'keys.matrix', checkId: 'keys.matrix', severity: 'high', source: at },
  { id: 'keys.matrix.revoked', checkId: 'keys.matrix', severity: 'critical', source: { ...at, line: 9 } },
];

let files = 0;
function load(text: string) {
  return loadBaseline(dir.file(`baseline-${files++}.yaml`, text), KNOWN);
}

/** The diagnostics a baseline is refused with, as `line:col code message`. */
function refusal(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    if (error instanceof ScenarioError) return sortDiagnostics(error.diagnostics).map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);
    throw error;
  }
  throw new Error('the baseline was accepted');
}

describe('loading a baseline', () => {
  it('reads each entry with where its id is written, defaulting allowCritical to false', () => {
    const baseline = load(`- id: headers.server
  target: http://127.0.0.1:8080/
  reason: the CDN strips it in production
  expires: 2030-01-31
- id: keys.matrix.expired
  reason: "  rotated by hand  "
`);
    expect(baseline.entries).toEqual([
      { id: 'headers.server', target: 'http://127.0.0.1:8080/', reason: 'the CDN strips it in production', expires: '2030-01-31', allowCritical: false, at: { file: expect.stringMatching(/baseline-\d+\.yaml$/), line: 1, col: 7 } },
      { id: 'keys.matrix.expired', target: undefined, reason: 'rotated by hand', expires: undefined, allowCritical: false, at: expect.objectContaining({ line: 5, col: 7 }) },
    ]);
  });

  it('takes an empty file as an empty baseline', () => {
    expect(load('# nothing accepted yet\n').entries).toEqual([]);
    expect(load('[]\n').entries).toEqual([]);
  });

  it("refuses --write-baseline's placeholder reason, a blank one, and a missing one, each where it is", () => {
    expect(refusal(`- id: headers.server\n  reason: "${PLACEHOLDER_REASON}"\n- id: keys.matrix.expired\n  reason: "  "\n- id: keys.matrix.expired\n`)).toEqual([
      '2:11 E_BASELINE_NO_REASON the reason of headers.server is still the placeholder --write-baseline wrote',
      '4:11 E_BASELINE_NO_REASON the reason is empty: say why this finding is accepted',
      "5:3 E_MISSING_FIELD missing required field 'reason' in [2]",
    ]);
  });

  it('refuses a critical finding without allowCritical: named by its case, or by its check (which covers the case)', () => {
    expect(refusal('- id: keys.matrix.revoked\n  reason: accepted for the demo\n- id: keys.matrix\n  reason: all of it\n  allowCritical: false\n')).toEqual([
      '1:7 E_BASELINE_CRITICAL keys.matrix.revoked is critical (scenarios/api.yaml:9:5): a baseline accepts a critical finding only with allowCritical: true',
      '3:7 E_BASELINE_CRITICAL keys.matrix covers keys.matrix.revoked, which is critical (scenarios/api.yaml:9:5): a baseline accepts a critical finding only with allowCritical: true',
    ]);
    expect(load('- id: keys.matrix.revoked\n  reason: the revocation list is pushed hourly\n  allowCritical: true\n').entries[0]!.allowCritical).toBe(true);
  });

  it('refuses globs, dates in other forms, impossible dates, unknown fields and a target that is not a URL', () => {
    expect(
      refusal(`- id: "headers.*"
  reason: r
- id: headers.server
  reason: r
  expires: 31/12/2030
- id: headers.server
  target: http://a.example
  reason: r
  expires: 2030-02-30
- id: headers.server
  target: ftp://a.example
  reason: r
- id: headers.server
  reasons: r
`),
    ).toEqual([
      "1:7 E_BAD_VALUE 'headers.*' is a glob: a baseline names each accepted check or case exactly",
      "5:12 E_BAD_VALUE expires '31/12/2030' is not a date: write it as YYYY-MM-DD, e.g. 2026-06-30",
      "9:12 E_BAD_VALUE expires '2030-02-30' is not a date: write it as YYYY-MM-DD, e.g. 2026-06-30",
      "11:11 E_BAD_VALUE target 'ftp://a.example' is not an http:// or https:// URL",
      "13:3 E_MISSING_FIELD missing required field 'reason' in [4]",
      "14:3 E_UNKNOWN_FIELD unknown field 'reasons' in [4]",
    ]);
  });

  it('refuses the same finding accepted twice for one target', () => {
    const problems = refusal('- id: headers.server\n  reason: a\n- id: headers.server\n  reason: b\n- id: headers.server\n  target: http://x.example\n  reason: c\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^3:7 E_DUPLICATE_ID headers\.server is accepted twice: the first entry is at .*baseline-\d+\.yaml:1:7$/);
  });

  it('refuses a document that is not a list of entries', () => {
    expect(refusal('id: headers.server\nreason: r\n')).toEqual(['1:1 E_WRONG_TYPE the document must be array, got a mapping']);
  });
});
