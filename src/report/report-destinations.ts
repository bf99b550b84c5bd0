import { GauntletError } from '../util/errors.js';

/** `--output-dir -`: the ndjson events go to stdout, for a pipe (`gauntlet run -r ndjson -o - | jq`). */
export const STDOUT_DIR = '-';

export function streamsToStdout(outputDir: string): boolean {
  return outputDir === STDOUT_DIR;
}

/** Whether the reporters write files into the output folder (so it must be writable before anything is sent). */
export function writesFiles(names: string[], outputDir: string): boolean {
  if (streamsToStdout(outputDir)) return false;
  return names.some((name) => name !== 'console');
}

/**
 * `-o -` streams ndjson to stdout, and only that: a file reporter cannot write to '-', and anything else on stdout
 * would break the stream. Refused before anything is loaded or sent.
 */
export function assertReportDestinations(names: string[], outputDir: string): void {
  if (!streamsToStdout(outputDir)) return;
  const files = names.filter((name) => name !== 'console' && name !== 'ndjson');
  if (files.length) {
    throw new GauntletError(
      'E_USAGE',
      `--output-dir - sends the ndjson events to stdout; the ${files.join(', ')} report${files.length > 1 ? 's' : ''} cannot be written to '-': give --output-dir a folder, or use -r ndjson alone (a folder named '-' is ./-)`,
    );
  }
  if (!names.includes('ndjson')) throw new GauntletError('E_USAGE', "--output-dir - sends the ndjson events to stdout: add -r ndjson (no other reporter writes to '-')");
}
