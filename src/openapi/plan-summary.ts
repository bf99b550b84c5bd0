import { formatDuration } from '../util/duration.js';
import { operationLabel } from './model.js';
import { plannedBounds, planProfile } from './plan-bounds.js';
import { operationsCovered, type AuditPlan } from './plan/plan.js';

/** `512 requests and 14m20s`: the most the whole plan can cost, each request at its deadline. */
export function planBoundsTotal(plan: AuditPlan, target: string): string {
  const profile = planProfile(plan, target);
  let requests = 0;
  let ms = 0;
  for (const check of plan.scenarios.flatMap((s) => s.checks)) {
    const bounds = plannedBounds(check.spec, profile);
    requests += bounds.requests;
    ms += bounds.durationMs;
  }
  return `${requests} requests and ${formatDuration(ms)}`;
}

/** The plan as `init --dry-run` prints it: every scenario and check with what it covers and costs at most. */
export function planSummary(plan: AuditPlan, target: string): string {
  const { model } = plan;
  const profile = planProfile(plan, target);
  const lines = [`The audit of "${model.title}" ${model.version} (${model.specification}) against ${target}: ${model.operations.length} operations`, ''];
  for (const scenario of plan.scenarios) {
    lines.push(`${scenario.file}: ${scenario.checks.length} checks`);
    const width = Math.max(...scenario.checks.map((c) => c.spec.id.length));
    for (const check of scenario.checks) {
      const bounds = plannedBounds(check.spec, profile);
      const cost = check.spec.skip ? 'skipped until the profile says its limit' : `at most ${bounds.requests} requests, ${formatDuration(bounds.durationMs)}`;
      const mutates = check.spec.mutates ? ', needs mutations: allowed' : '';
      lines.push(`  ${check.spec.id.padEnd(width)}  ${check.spec.kind.padEnd(9)} ${check.operations.join(', ') || '-'} (${cost}${mutates})`);
    }
  }
  const covered = operationsCovered(plan);
  const inPlan = [...covered.values()].filter((ids) => ids.length).length;
  lines.push('', `Operations in the plan: ${inPlan} of ${model.operations.length} (${Math.round((100 * inPlan) / Math.max(1, model.operations.length))}%)`);
  const gaps = model.operations.filter((op) => !covered.get(operationLabel(op))?.length);
  if (gaps.length) lines.push(`Not in the plan: ${gaps.map(operationLabel).join(', ')}`);
  lines.push(`At most ${planBoundsTotal(plan, target)} in all (every request at its deadline).`, '');
  return `${lines.join('\n')}\n`;
}
