import { SEVERITIES, type CheckResult } from '../../results/model.js';
import { clip } from '../../util/clip.js';

/** One line of what was wrong: the message's first line, short enough for a table cell. */
const LINE_CHARS = 160;

export interface FindingRow {
  id: string;
  severity: CheckResult['severity'];
  title: string;
  scenario: string;
  wrong: string;
}

/** The failed checks, gravest first (in run order within a severity), as rows of the findings table. */
export function findingRows(checks: CheckResult[]): FindingRow[] {
  return checks
    .map((check, order) => ({ check, order }))
    .filter(({ check }) => check.status === 'failed')
    .sort((a, b) => SEVERITIES.indexOf(b.check.severity) - SEVERITIES.indexOf(a.check.severity) || a.order - b.order)
    .map(({ check }) => ({ id: check.id, severity: check.severity, title: check.title, scenario: check.scenario, wrong: clip(check.message.split('\n')[0]!.trim(), LINE_CHARS) }));
}
