import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RequestSpec } from '../engine/http-client.js';
import { didYouMean } from '../util/did-you-mean.js';
import { parseDuration, timeoutProblem } from '../util/duration.js';
import type { HttpRequestSpec } from './http/spec.js';
import type { SpecIssue, SpecValidationContext } from './types.js';

/** Turns a scenario's request block into an engine request; a body file is read relative to the scenario. */
export async function toRequestSpec(request: HttpRequestSpec, scenarioFile: string | undefined): Promise<RequestSpec> {
  const { timeout, body, ...rest } = request;
  const spec: RequestSpec = { ...rest, timeoutMs: timeout === undefined ? undefined : parseDuration(timeout) };
  if (body?.file !== undefined) {
    const base = scenarioFile ? dirname(scenarioFile) : process.cwd();
    spec.body = { text: await readFile(resolve(base, body.file), 'utf8') };
  } else if (body) {
    spec.body = body;
  }
  return spec;
}

/** Load-time checks of a request block: named identity and key exist in the profile, a body file exists. */
export function validateRequest(
  request: HttpRequestSpec | undefined,
  context: SpecValidationContext,
  at: (string | number)[] = ['request'],
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (!request) return issues;
  const profile = context.profile;
  if (profile && request.identity !== undefined && request.identity !== 'none' && !profile.tls.identities.has(request.identity)) {
    issues.push({
      path: [...at, 'identity'],
      code: 'E_UNKNOWN_IDENTITY',
      message: `client identity '${request.identity}' is not in the target profile`,
      hint: hintFrom(request.identity, profile.tls.identities.keys()),
    });
  }
  const keyName = typeof request.key === 'string' ? request.key : request.key?.name;
  if (profile && keyName !== undefined && keyName !== 'none' && !keyName.includes('{{') && !profile.keys.has(keyName)) {
    issues.push({
      path: [...at, 'key'],
      code: 'E_UNKNOWN_KEY',
      message: `API key '${keyName}' is not in the target profile`,
      hint: hintFrom(keyName, profile.keys.keys()),
    });
  }
  const badTimeout = request.timeout === undefined ? undefined : timeoutProblem(request.timeout);
  if (badTimeout) issues.push({ path: [...at, 'timeout'], code: 'E_BAD_TIMEOUT', message: badTimeout });
  if (request.body?.file !== undefined && context.scenarioFile) {
    const file = resolve(dirname(context.scenarioFile), request.body.file);
    if (!existsSync(file)) issues.push({ path: [...at, 'body', 'file'], code: 'E_MISSING_FILE', message: `body file ${file} does not exist` });
  }
  return issues;
}

function hintFrom(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const suggestion = didYouMean(name, list);
  if (suggestion) return `did you mean '${suggestion}'?`;
  return list.length ? `defined: ${list.join(', ')}` : 'the profile defines none';
}
