import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { CheckResult, RunResult } from '../results/model.js';
import type { SecretRegistry } from '../results/secrets.js';
import { writeFileAtomic } from '../report/write-file.js';
import { GauntletError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { printable } from '../util/printable.js';
import { PLACEHOLDER_REASON } from './entry.js';

/** The most of a finding's message its comment keeps: enough to recognise it. */
const MESSAGE_CHARS = 120;

/**
 * A baseline accepting every failure of the run, one entry per check or case id, for the run's target and with no
 * expiry. A new finding gets the placeholder reason, which the loader refuses until someone writes a real one; a
 * finding the run's baseline already accepted keeps its reason and date.
 */
export function renderBaseline(run: RunResult, schemaPath: string): string {
  const failed = run.scenarios.flatMap((s) => s.checks).filter((c) => c.status === 'failed');
  const header = [
    `# yaml-language-server: $schema=${schemaPath}`,
    '# Findings accepted for now: gauntlet run --baseline <this file> keeps them in every report, marked suppressed,',
    '# and they no longer fail the run. The run fails when an entry expires or no longer matches a finding.',
    `# Written by gauntlet run --write-baseline from the run of ${run.startedAt} against ${run.target.url}.`,
  ];
  if (failed.some((c) => !c.suppressed)) {
    header.push(`# Each reason '${PLACEHOLDER_REASON}' is refused until replaced by why the finding is accepted;`, '# add expires: YYYY-MM-DD to have it reviewed by a date.');
  }
  const entries = failed.map((check) => entryText(check, run.target.url));
  return `${header.join('\n')}\n${entries.length ? `\n${entries.join('\n\n')}\n` : '[]\n'}`;
}

function entryText(check: CheckResult, target: string): string {
  const accepted = check.suppressed;
  const comment = oneLine(`${check.severity} · ${check.title}: ${check.message}`);
  const lines = [`# ${comment}`, `- id: ${scalar(check.id)}`, `  target: ${scalar(target)}`, `  reason: ${scalar(accepted?.reason ?? PLACEHOLDER_REASON)}`];
  if (accepted?.expires) lines.push(`  expires: ${scalar(accepted.expires)}`);
  if (check.severity === 'critical') {
    if (!accepted) lines.splice(1, 0, '# critical: gauntlet refuses this entry until allowCritical is true');
    lines.push(`  allowCritical: ${accepted ? 'true' : 'false'}`);
  }
  return lines.join('\n');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const shown = printable(flat);
  return shown.length > MESSAGE_CHARS ? `${shown.slice(0, MESSAGE_CHARS - 1)}…` : shown;
}

/** A YAML scalar that reads back as exactly `value`, quoted only when it must be. */
function scalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/**
 * Writes the run's findings as a baseline (atomically: a reader never sees half of it), through the run's
 * secret registry, so that no key that reached a message reaches the file. Returns how many entries it holds.
 */
export function writeBaseline(file: string, run: RunResult, secrets: SecretRegistry): number {
  const schemaPath = relative(dirname(resolve(file)), join(packageRoot(), 'schemas', 'baseline.schema.json')).split('\\').join('/');
  writeFileAtomic(resolve(file), secrets.redactString(renderBaseline(run, schemaPath)));
  return run.scenarios.flatMap((s) => s.checks).filter((c) => c.status === 'failed').length;
}

/**
 * Refuses, before anything is sent, a --write-baseline that would overwrite a file other than the run's own
 * --baseline (whose reasons would be lost), or that names a folder that does not exist.
 */
export function assertBaselineWritable(path: string, readFrom: string | undefined): void {
  const target = resolve(path);
  if (existsSync(target) && (readFrom === undefined || resolve(readFrom) !== target)) {
    throw new GauntletError('E_USAGE', `--write-baseline ${path} already exists: pass it as --baseline too to refresh it (the reasons and dates of the findings it accepts are kept), or remove it first`);
  }
  if (!isFolder(dirname(target))) throw new GauntletError('E_USAGE', `--write-baseline ${path}: the folder ${dirname(path)} does not exist`);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
