import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GauntletError } from '../util/errors.js';

/** The folder must be new or empty, unless --force (which replaces what init wrote before). */
export function assertWritable(out: string, force: boolean): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new GauntletError('E_OUTPUT_DIR', `--out ${out}: a file is in the way`);
  if (readdirSync(out).length && !force) throw new GauntletError('E_OUTPUT_DIR', `--out ${out} is not empty: choose a new folder, or --force to replace profile.yaml and scenarios/ there`);
}

/** Writes every file into a temporary folder beside `out`, then moves them into place: never half a plan. */
export function writeAllAtOnce(out: string, files: Map<string, string>, force: boolean): void {
  mkdirSync(dirname(out), { recursive: true });
  const staging = mkdtempSync(join(dirname(out), `.${basename(out)}.init-`));
  try {
    for (const [name, text] of files) {
      mkdirSync(dirname(join(staging, name)), { recursive: true });
      writeFileSync(join(staging, name), text);
    }
    if (!existsSync(out)) {
      renameSync(staging, out);
      return;
    }
    if (force) {
      rmSync(join(out, 'scenarios'), { recursive: true, force: true });
      rmSync(join(out, 'profile.yaml'), { force: true });
    }
    renameSync(join(staging, 'scenarios'), join(out, 'scenarios'));
    renameSync(join(staging, 'profile.yaml'), join(out, 'profile.yaml'));
    rmdirSync(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new GauntletError('E_OUTPUT_DIR', `--out ${out}: could not write the plan (${(error as Error).message}); nothing was written`);
  }
}

