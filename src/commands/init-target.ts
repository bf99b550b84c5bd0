import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { validateTargetUrl } from '../scenario/load-profile.js';
import { probeTarget, type TargetFacts } from '../starter/probe-target.js';
import { renderStarterProfile } from '../starter/starter-profile.js';
import { EXIT, GauntletError } from '../util/errors.js';
import { packageRoot, packageVersion } from '../util/package-root.js';
import type { CommandIO } from './io.js';
import { assertWritable, writeAllAtOnce } from './write-folder.js';

export interface InitTargetRequest {
  target: string;
  out: string;
  force: boolean;
}

/** Built-in scenarios a plain-HTTP target cannot use: there is no TLS to judge. */
const HTTPS_ONLY = new Set(['tls.yaml', 'mtls.yaml']);

/**
 * `gauntlet init --target`: probes the target as a caller without credentials would, then writes a profile that
 * says what it saw and what the built-in scenarios need (each line to confirm or fill in), and the built-in
 * scenarios that fit such a target, into a new folder.
 */
export async function initTargetCommand(request: InitTargetRequest, io: CommandIO): Promise<number> {
  const problem = validateTargetUrl(request.target);
  if (problem) throw new GauntletError('E_USAGE', `--target: ${problem}`);
  const out = resolve(request.out);
  assertWritable(out, request.force);
  const facts = await probeTarget(request.target);
  if (facts.answers.every((a) => a.error)) {
    throw new GauntletError('E_UNREACHABLE', `${facts.target} answered none of ${facts.answers.length} requests (${facts.answers[0]?.error}): is it running, and is the URL right?`, EXIT.unreachable);
  }
  const files = starterFiles(facts, out);
  writeAllAtOnce(out, files, request.force);
  const shown = relative(process.cwd(), out) || '.';
  io.stdout.write(`wrote ${shown}/profile.yaml and ${files.size - 1} starter scenario(s) in ${shown}/scenarios for ${facts.target}\n`);
  for (const line of advice(facts, shown)) io.stdout.write(`${line}\n`);
  return EXIT.ok;
}

function starterFiles(facts: TargetFacts, out: string): Map<string, string> {
  const schemas = join(packageRoot(), 'schemas');
  const header = [`Written by gauntlet ${packageVersion()} init --target ${facts.target} at ${new Date().toISOString()}.`];
  const files = new Map<string, string>([['profile.yaml', renderStarterProfile(facts, relative(out, join(schemas, 'profile.schema.json')), header)]]);
  const builtIn = join(packageRoot(), 'scenarios');
  const schemaLine = `# yaml-language-server: $schema=${relative(join(out, 'scenarios'), join(schemas, 'scenario.schema.json'))}`;
  for (const file of readdirSync(builtIn).filter((f) => f.endsWith('.yaml')).sort()) {
    if (!facts.https && HTTPS_ONLY.has(file)) continue;
    const text = readFileSync(join(builtIn, file), 'utf8').replace(/^# yaml-language-server: \$schema=.*$/m, schemaLine);
    files.set(join('scenarios', file), text);
  }
  return files;
}

function advice(facts: TargetFacts, shown: string): string[] {
  const lines: string[] = [];
  if (facts.openApiUrl) lines.push(`\nThe target serves an OpenAPI document at ${facts.openApiUrl}: gauntlet init --openapi ${facts.openApiUrl} plans an audit of every operation in it.`);
  if (!facts.https) lines.push(`\nThe target is plain HTTP: credentials cross the network in clear. The TLS scenarios are left out; add them when it runs behind TLS.`);
  lines.push(`\nNext: confirm or fill in the routes under vars: in ${shown}/profile.yaml (and the keys, if it takes them), then:`);
  if (facts.answers.some((a) => a.status === 401 || a.status === 403)) lines.push('  export GAUNTLET_KEY_VALID=...   # a key of your API');
  lines.push(`  gauntlet run ${shown}/scenarios -p ${shown}/profile.yaml -r console,html`);
  return lines;
}
