import { basename, join, relative, resolve } from 'node:path';
import { loadApi } from '../openapi/load-document.js';
import { planBoundsTotal, planSummary } from '../openapi/plan-summary.js';
import { operationsCovered, planAudit, type AuditPlan } from '../openapi/plan/plan.js';
import { renderProfile } from '../openapi/render-profile.js';
import { renderScenario } from '../openapi/render-scenario.js';
import { packageRoot, packageVersion } from '../util/package-root.js';
import { EXIT, GauntletError } from '../util/errors.js';
import type { CommandIO } from './io.js';
import { assertWritable, writeAllAtOnce } from './write-folder.js';

export interface InitRequest {
  openapi: string;
  out: string;
  /** A server URL, or the index of one of the document's servers (0 = the first). */
  server?: string;
  dryRun: boolean;
  force: boolean;
}

/**
 * `gauntlet init --openapi`: reads the document, plans the audit, and writes a profile and one scenario per tag
 * into a folder, all at once (into a temporary folder first, renamed into place), or prints the plan.
 */
export async function initCommand(request: InitRequest, io: CommandIO): Promise<number> {
  const { model } = await loadApi(request.openapi);
  const target = chooseServer(model.servers, request.server);
  const plan = planAudit(model);
  const covered = operationsCovered(plan);
  const uncovered = [...covered].filter(([, ids]) => ids.length === 0).map(([label]) => label);
  // Every operation must be in the plan: a gap is a bug in the planner, not something to write quietly.
  if (uncovered.length) throw new GauntletError('E_PLAN_GAP', `the plan leaves out ${uncovered.length} operation(s): ${uncovered.slice(0, 5).join(', ')} (a bug in gauntlet: please report it)`, 70);
  if (request.dryRun) {
    io.stdout.write(planSummary(plan, target));
    io.stdout.write(`Nothing written (--dry-run).\n`);
    return EXIT.ok;
  }
  const out = resolve(request.out);
  assertWritable(out, request.force);
  const files = renderFiles(plan, target, out, request.openapi);
  writeAllAtOnce(out, files, request.force);
  const checks = plan.scenarios.reduce((n, s) => n + s.checks.length, 0);
  const shown = relative(process.cwd(), out) || '.';
  const bounds = planBoundsTotal(plan, target);
  io.stdout.write(`wrote ${shown}/profile.yaml and ${plan.scenarios.length} scenario(s) in ${shown}/scenarios: ${checks} checks for all ${model.operations.length} operations of "${model.title}" ${model.version} (at most ${bounds})\n`);
  if (plan.credentials.slots.length) {
    io.stdout.write('\nSet these variables to your API\'s keys (never write a key into a file):\n');
    const width = Math.max(...plan.credentials.slots.map((s) => s.env.length));
    for (const slot of plan.credentials.slots) io.stdout.write(`  ${slot.env.padEnd(width)}  ${slot.comment}\n`);
  }
  io.stdout.write(`\nThen fill in ${shown}/profile.yaml (ids under vars, what each key holds), and:\n`);
  io.stdout.write(`  gauntlet validate ${shown}/scenarios -p ${shown}/profile.yaml\n`);
  io.stdout.write(`  gauntlet run ${shown}/scenarios -p ${shown}/profile.yaml --openapi ${request.openapi} -r console,html\n`);
  return EXIT.ok;
}

function chooseServer(servers: string[], chosen: string | undefined): string {
  if (chosen !== undefined && /^\d+$/.test(chosen)) {
    const server = servers[Number(chosen)];
    if (!server) throw new GauntletError('E_USAGE', `--server ${chosen}: the document has ${servers.length} absolute server URL(s)${servers.length ? `: ${servers.map((s, i) => `${i} ${s}`).join(', ')}` : ''}`);
    return server;
  }
  if (chosen !== undefined) {
    if (!/^https?:\/\/[^/]/i.test(chosen)) throw new GauntletError('E_USAGE', `--server ${chosen}: give an http(s) URL or the index of one of the document's servers`);
    return chosen.replace(/\/$/, '');
  }
  if (!servers[0]) throw new GauntletError('E_USAGE', 'the document names no absolute server URL: give one with --server https://api.example.com');
  return servers[0];
}

function renderFiles(plan: AuditPlan, target: string, out: string, source: string): Map<string, string> {
  const schemas = join(packageRoot(), 'schemas');
  const header = [`Written by gauntlet ${packageVersion()} init --openapi ${basename(source)} at ${new Date().toISOString()},`, `from "${plan.model.title}" ${plan.model.version} (${plan.model.specification}).`];
  const files = new Map<string, string>();
  files.set('profile.yaml', renderProfile(plan, { target, schemaPath: relative(out, join(schemas, 'profile.schema.json')), header }));
  for (const scenario of plan.scenarios) {
    files.set(join('scenarios', scenario.file), renderScenario(scenario, relative(join(out, 'scenarios'), join(schemas, 'scenario.schema.json')), [...header, `The audit of ${scenario.checks.flatMap((c) => c.operations).filter((l, i, all) => all.indexOf(l) === i).length} operation(s): ${scenario.description}`]));
  }
  return files;
}

