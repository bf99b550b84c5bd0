import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startInterimResponses } from '../helpers/hostile-servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const SCENARIO = `name: interim
checks:
  - { id: i.get, kind: http, severity: high, request: { path: / }, expect: { status: 417 } }
`;

describe('a server sending unasked-for 100 Continue responses before its answer', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());

  it.each([1, 2])('%i x 100 Continue then 417: errored as a protocol error, not a reset', async (count) => {
    const server = await startInterimResponses(count);
    try {
      const scenario = dir.file('interim.yaml', SCENARIO);
      const out = join(dir.path, `out-${count}`);
      const cli = await runCli(['run', scenario, '--target', server.url, '--timeout', '2s', '-r', 'json', '-o', out]);
      expect(cli.code, cli.stderr).toBe(3);
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      const [check] = run.scenarios[0]!.checks;
      expect(check).toMatchObject({ status: 'errored', transport: 'protocol-error' });
      expect(check!.message).toMatch(/bad response \(UND_ERR_SOCKET\)/);
      expect(check!.evidence.exchanges![0]!.transport).toMatchObject({ class: 'protocol-error', code: 'UND_ERR_SOCKET', message: 'bad response' });
    } finally {
      await server.close();
    }
  });
});
