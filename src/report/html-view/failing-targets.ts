import type { AssertionResult, Exchange } from '../../results/model.js';
import { compileJsonPath, type CompiledPath } from '../../util/json-path.js';

/** What the failed assertions of a check point at in one exchange: response headers and JSON fields. */
export interface FailingTargets {
  /** Header names, lower case. */
  headers: Set<string>;
  jsonPaths: CompiledPath[];
}

/** `Access-Control-Allow-Origin`, `X-Content-Type-Options`: how assertions name a header in prose. */
const HEADER_IN_PROSE = /\b[A-Z][A-Za-z0-9]*(?:-[A-Z][A-Za-z0-9]*)+\b/g;

/**
 * The headers and fields the failed assertions name: `header content-type matches` and `json $.id equals` say so
 * outright; prose (`X-Content-Type-Options is nosniff`, `success response: Server names no version`) names a
 * header by its usual spelling. An assertion that starts with an exchange's label (`success response: ...`)
 * concerns that exchange only.
 */
export function failingTargets(assertions: AssertionResult[] | undefined, exchange: Exchange): FailingTargets {
  const targets: FailingTargets = { headers: new Set(), jsonPaths: [] };
  const present = Object.keys(exchange.response?.headers ?? {}).map((h) => h.toLowerCase());
  for (const assertion of assertions ?? []) {
    if (assertion.passed || !concerns(assertion.name, exchange)) continue;
    const header = /^header (\S+) /.exec(assertion.name);
    if (header) targets.headers.add(header[1]!.toLowerCase());
    for (const named of assertion.name.match(HEADER_IN_PROSE) ?? []) targets.headers.add(named.toLowerCase());
    for (const name of present) if (new RegExp(`(^|[\\s:])${escape(name)}(\\s|$)`, 'i').test(assertion.name)) targets.headers.add(name);
    const json = /^json (\S+) /.exec(assertion.name);
    if (json) {
      try {
        targets.jsonPaths.push(compileJsonPath(json[1]!));
      } catch {
        // A path gauntlet could not compile was refused at load time; nothing to point at.
      }
    }
  }
  return targets;
}

function concerns(name: string, exchange: Exchange): boolean {
  const labelled = /^([^:]{1,80}): /.exec(name);
  if (!labelled || !exchange.label) return true;
  // `success: ...` concerns the exchange labelled `success response`.
  return exchange.label === labelled[1] || exchange.label.startsWith(`${labelled[1]} `);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
