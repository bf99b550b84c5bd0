import { didYouMean } from '../util/did-you-mean.js';
import { GauntletError } from '../util/errors.js';
import { consoleReporter } from './console.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import type { Reporter } from './reporter.js';
import { sarifReporter } from './sarif.js';

export const REPORTER_NAMES = ['console', 'json', 'junit', 'html', 'sarif'] as const;

/** Every reporter but the console writes a file into the output folder. */
export function writesFiles(names: string[]): boolean {
  return names.some((name) => name !== 'console');
}

export interface ReporterSetup {
  outputDir: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
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

export function createReporters(names: string[], setup: ReporterSetup): Reporter[] {
  return names.map((name) => {
    switch (name) {
      case 'console':
        return consoleReporter({ stream: setup.stdout, verbose: setup.verbose });
      case 'json':
        return jsonReporter(setup.outputDir);
      case 'junit':
        return junitReporter(setup.outputDir);
      case 'html':
        return htmlReporter(setup.outputDir);
      case 'sarif':
        return sarifReporter(setup.outputDir);
      default:
        throw new GauntletError('E_USAGE', `unknown reporter '${name}'`);
    }
  });
}
