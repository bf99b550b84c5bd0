import { join } from 'node:path';
import type { RunResult } from '../results/model.js';
import type { Reporter } from './reporter.js';
import { writeFileAtomic } from './write-file.js';

export const JSON_REPORT_FILE = 'gauntlet-report.json';

export function jsonReporter(outputDir: string): Reporter {
  return {
    name: 'json',
    onRunEnd: (run: RunResult) => [writeFileAtomic(join(outputDir, JSON_REPORT_FILE), `${JSON.stringify(run, null, 2)}\n`)],
  };
}
