import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('gauntlet-demo-keys-');
afterAll(() => dir.remove());

/** Any whole reference key: gk_<env>_<43 random chars><6 checksum chars>. A 16-character display prefix is fine. */
const WHOLE_KEY = /gk_[a-z0-9]+_[A-Za-z0-9_-]{43}[A-Za-z0-9]{6}/;

describe('the demo with API keys', () => {
  it.each([[[]], [['--flaw', 'keys-echo']]])(
    'provisions its keys through the admin API and no key reaches any output (%j)',
    async (extra: string[]) => {
      const out = join(dir.path, extra.length ? 'echo' : 'clean');
      const cli = await runCli(['demo', ...extra, '--only', 'keys.*', '-r', 'console,json,junit,html', '-o', out, '--verbose']);
      expect(cli.code).toBe(extra.length ? 1 : 0);
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      const checks = run.scenarios.flatMap((s) => s.checks);
      // Lifecycle ran for real against the admin API (no skipped case), so created keys passed through reports.
      expect(checks.filter((c) => c.status === 'skipped')).toEqual([]);
      expect(checks.map((c) => c.id)).toEqual(expect.arrayContaining(['keys.matrix.create', 'keys.matrix.rotation', 'keys.matrix.revocation']));
      const outputs = [cli.stdout, cli.stderr, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))];
      for (const text of outputs) expect(text).not.toMatch(WHOLE_KEY);
      expect(outputs.join('\n')).toContain('[redacted:');
      const revocation = checks.find((c) => c.id === 'keys.matrix.revocation')!;
      expect((revocation.evidence.data as { revocationLatencyMs?: number }).revocationLatencyMs).toBeGreaterThan(0);
    },
  );
});
