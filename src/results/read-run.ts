import { readFileSync } from 'node:fs';
import { GauntletError } from '../util/errors.js';
import { RUN_FORMAT_VERSION, type RunResult } from './model.js';

/** Reads a run saved by the JSON reporter, refusing anything that is not one with a message naming the file. */
export function readRun(file: string): RunResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GauntletError('E_MISSING_FILE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new GauntletError('E_BAD_REPORT', `${file} is not JSON: ${(error as Error).message}`);
  }
  const run = data as Partial<RunResult>;
  if (!run || typeof run !== 'object' || run.tool?.name !== 'gauntlet') {
    throw new GauntletError('E_BAD_REPORT', `${file} is not a gauntlet run report (write one with --reporter json)`);
  }
  if (run.formatVersion !== RUN_FORMAT_VERSION) {
    throw new GauntletError('E_BAD_REPORT', `${file} has report format ${String(run.formatVersion)}; this gauntlet reads format ${RUN_FORMAT_VERSION}`);
  }
  if (!Array.isArray(run.scenarios) || !run.scenarios.every((s) => s && Array.isArray(s.checks))) {
    throw new GauntletError('E_BAD_REPORT', `${file} has no scenarios list: the file is damaged or not a run report`);
  }
  return run as RunResult;
}
