import { Document, isMap, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { PlannedScenario } from './plan/types.js';

/** Fields shown on one line each (flow style) when short: the request, the expectations, the lists. */
const INLINE_FIELDS = new Set(['request', 'expect', 'roles', 'cases', 'declared', 'capture', 'preflight', 'success', 'unauthorized', 'not-found']);
const INLINE_WIDTH = 110;

/**
 * A generated scenario as YAML a person can read: the editor's schema line, what it audits, and each check with
 * a comment saying which operation it covers and why.
 */
export function renderScenario(scenario: PlannedScenario, schemaPath: string, header: string[]): string {
  // No anchors and aliases: a shared example body is written out in full wherever it is used.
  const doc = new Document({ name: scenario.name, description: scenario.description, tags: ['openapi', scenario.name], checks: scenario.checks.map((c) => c.spec) }, { aliasDuplicateObjects: false });
  doc.commentBefore = [` yaml-language-server: $schema=${schemaPath}`, ...header.map((line) => ` ${line}`)].join('\n');
  const checks = doc.get('checks', true) as YAMLSeq;
  checks.items.forEach((item, i) => {
    const node = item as Node;
    node.commentBefore = scenario.checks[i]!.comment.map((line) => ` ${line}`).join('\n');
    inlineShortFields(node);
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

function inlineShortFields(node: unknown): void {
  if (!isMap(node)) return;
  for (const pair of (node as YAMLMap).items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const value = pair.value as Node | null;
    if ((isMap(value) || isSeq(value)) && INLINE_FIELDS.has(key) && JSON.stringify(value.toJSON()).length <= INLINE_WIDTH) (value as YAMLMap).flow = true;
    else inlineShortFields(value);
  }
}
