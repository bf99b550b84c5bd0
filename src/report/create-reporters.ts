import { didYouMean } from '../util/did-you-mean.js';
import { GauntletError } from '../util/errors.js';
import { consoleReporter } from './console.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { ndjsonReporter } from './ndjson.js';
import { streamsToStdout } from './report-destinations.js';
import type { Reporter } from './reporter.js';
import { sarifReporter } from './sarif.js';
import { summaryLineReporter } from './summary-line.js';

export const REPORTER_NAMES = ['console', 'json', 'junit', 'html', 'sarif', 'ndjson'] as const;

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ReporterSetup {
  /** The report folder (resolved), or `-`: the ndjson events to stdout. */
  outputDir: string;
  stdout: Stream;
  /** Where text for people goes when stdout carries the ndjson events. */
  stderr?: Stream;
  verbose?: boolean;
}

/** `--reporter json --reporter html` or `--reporter json,html`. */
export function parseReporterNames(values: string[]): string[] {
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const name of names) {
    if (!(REPORTER_NAMES as readonly string[]).includes(name)) {
      const suggestion = didYouMean(name, REPORTER_NAMES);
      throw new GauntletError('E_USAGE', `unknown reporter '${name}'${suggestion ? `: did you mean '${suggestion}'?` : ''} (choose from ${REPORTER_NAMES.join(', ')})`);
    }
  }
  return [...new Set(names)];
}

/**
 * The reporters by name. Without the console reporter, a one-line summary still tells the log the verdict. With
 * `-o -`, stdout is the ndjson stream's alone: the console and the summary go to stderr.
 */
export function createReporters(names: string[], setup: ReporterSetup): Reporter[] {
  const toStdout = streamsToStdout(setup.outputDir);
  const text = toStdout ? (setup.stderr ?? setup.stdout) : setup.stdout;
  const reporters = names.map((name): Reporter => {
    switch (name) {
      case 'console':
        return consoleReporter({ stream: text, verbose: setup.verbose });
      case 'json':
        return jsonReporter(setup.outputDir);
      case 'junit':
        return junitReporter(setup.outputDir);
      case 'html':
        return htmlReporter(setup.outputDir);
      case 'sarif':
        return sarifReporter(setup.outputDir);
      case 'ndjson':
        return ndjsonReporter(toStdout ? { stream: setup.stdout } : { dir: setup.outputDir });
      default:
        throw new GauntletError('E_USAGE', `unknown reporter '${name}'`);
    }
  });
  if (!names.includes('console')) reporters.push(summaryLineReporter(text));
  return reporters;
}
