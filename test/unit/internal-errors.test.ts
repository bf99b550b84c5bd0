import { describe, expect, it } from 'vitest';
import type { CheckKind } from '../../src/checks/types.js';
import { HttpClient } from '../../src/engine/http-client.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { runCheck, type CheckRunEnv } from '../../src/runner/run-check.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import type { LoadedCheck } from '../../src/scenario/types.js';

const STACK_FRAME = /\n\s+at |\.[jt]s:\d+|dist\/|src\//;

describe('an internal error in a check (a bug in gauntlet)', () => {
  const loaded = { spec: { id: 'buggy.check', kind: 'buggy', severity: 'low' }, source: { file: 'buggy.yaml', line: 1, col: 1 }, scenarioFile: 'buggy.yaml' } as LoadedCheck;

  function env(seen: unknown[]): CheckRunEnv {
    const profile = profileFromTarget('http://127.0.0.1:9');
    const secrets = new SecretRegistry();
    return {
      profile,
      secrets,
      http: new HttpClient(profile, { timeoutMs: 1000, bodyCapBytes: 1024 }, secrets),
      signal: new AbortController().signal,
      timeoutMs: 1000,
      allowLoad: false,
      onProgress: () => undefined,
      onInternalError: (id, error) => seen.push({ id, error }),
    };
  }

  function buggyKind(where: 'bounds' | 'run'): CheckKind {
    const fail = () => {
      throw new TypeError('boom');
    };
    return {
      kind: 'buggy',
      description: 'buggy',
      properties: {},
      defaultTitle: () => 'buggy',
      bounds: where === 'bounds' ? fail : () => ({ requests: 1, durationMs: 1000 }),
      run: async () => fail(),
    } as unknown as CheckKind;
  }

  it.each(['bounds', 'run'] as const)('thrown from %s: errored with its name and message only, the error itself handed on', async (where) => {
    const seen: { id: string; error: Error }[] = [];
    const [result] = await runCheck(buggyKind(where), loaded, 'buggy', new Map(), env(seen));
    expect(result!.status).toBe('errored');
    expect(result!.message).toMatch(/^internal error in the buggy check: TypeError: boom \(a bug in gauntlet: please report it; --verbose prints its stack trace\)$/);
    expect(result!.message).not.toMatch(STACK_FRAME);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.id).toBe('buggy.check');
    expect(seen[0]!.error.stack).toMatch(STACK_FRAME);
  });
});
