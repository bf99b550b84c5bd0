import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';
import type { RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { sarifSchema } from '../helpers/sarif-schema.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const FIXTURES = join(ROOT, 'test/fixtures/scenarios');

const readRun = (dir: string): RunResult => JSON.parse(readFileSync(join(dir, 'gauntlet-report.json'), 'utf8'));
const statuses = (run: RunResult) => Object.fromEntries(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c.status]));

describe('SARIF, shards, merge and re-rendering', () => {
  let server: ReferenceServer;
  let dir: TempDir;
  beforeAll(async () => {
    server = await createReferenceServer();
    dir = tempDir();
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('writes SARIF 2.1.0 that validates against the official schema, a result per failed check at its line', async () => {
    const out = join(dir.path, 'sarif');
    const cli = await runCli(['run', FIXTURES, '--target', server.url, '-r', 'sarif,json', '-o', out]);
    expect(cli.code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(out, 'gauntlet.sarif'), 'utf8'));
    const validate = sarifSchema();
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);

    const run = readRun(out);
    const failed = run.scenarios.flatMap((s) => s.checks).filter((c) => c.status === 'failed');
    const results = sarif.runs[0].results;
    expect(results.map((r: { properties: { checkId: string } }) => r.properties.checkId).sort()).toEqual(failed.map((c) => c.id).sort());
    const wrong = results.find((r: { ruleId: string }) => r.ruleId === 'http/ind.wrong');
    expect(wrong).toMatchObject({
      level: 'warning',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'test/fixtures/scenarios/independent.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 8 } } }],
      properties: { 'security-severity': '5.5' },
    });
    const rule = sarif.runs[0].tool.driver.rules[wrong.ruleIndex];
    expect(rule).toMatchObject({ id: 'http/ind.wrong', help: { text: expect.any(String) }, properties: { 'security-severity': '5.5' } });
    // The help says what to change and how to send the failing request again, in text and in Markdown.
    const curl = `curl -i \\\n  ${server.url}/api/data`;
    expect(rule.help.text).toContain("What to change: The answer did not meet the scenario's expectations");
    expect(rule.help.text).toContain(`Reproduce ind.wrong (set the variables first):\n# request 1 (answered 200)\n${curl}`);
    expect(rule.help.markdown).toContain(`**Reproduce \`ind.wrong\`**\n\n\`\`\`sh\n# request 1 (answered 200)\n${curl}\n\`\`\``);
    expect(wrong.message.markdown).toContain(curl);
    // The JSON report carries the same, per failed check.
    const json = run.scenarios.flatMap((s) => s.checks).find((c) => c.id === 'ind.wrong')!;
    expect(json.reproduce!.curl).toBe(`# request 1 (answered 200)\n${curl}`);
    expect(json.remediation!.summary).toMatch(/^The answer did not meet/);
    expect(run.scenarios.flatMap((s) => s.checks).filter((c) => c.status === 'passed' && (c.reproduce || c.remediation))).toEqual([]);
  });

  it('merging the shards of a run gives the same check ids and statuses as the unsharded run', async () => {
    const whole = join(dir.path, 'whole');
    const unsharded = await runCli(['run', FIXTURES, '--target', server.url, '-r', 'json', '-o', whole]);
    const shardDirs: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const out = join(dir.path, `shard-${i}`);
      shardDirs.push(out);
      const shard = await runCli(['run', FIXTURES, '--target', server.url, '--shard', `${i}/3`, '-r', 'json', '-o', out]);
      expect([0, 1]).toContain(shard.code);
      expect(readRun(out).options.shard).toBe(`${i}/3`);
    }
    const partIds = shardDirs.map((d) => Object.keys(statuses(readRun(d))));
    expect(partIds.filter((ids) => ids.length > 0).length).toBeGreaterThanOrEqual(2);

    const mergedDir = join(dir.path, 'merged');
    const merged = await runCli(['report', 'merge', ...shardDirs.map((d) => join(d, 'gauntlet-report.json')), '-r', 'json,junit,html,sarif', '-o', mergedDir]);
    expect(merged.code).toBe(unsharded.code);
    const mergedRun = readRun(mergedDir);
    expect(statuses(mergedRun)).toEqual(statuses(readRun(whole)));
    expect(mergedRun.totals).toEqual(readRun(whole).totals);
    expect(mergedRun.verdict.exitCode).toBe(readRun(whole).verdict.exitCode);
  });

  it('refuses to merge a set of shards with one missing, given twice, or from another run', async () => {
    const shard = (i: number) => join(dir.path, `shard-${i}`, 'gauntlet-report.json');
    const out = join(dir.path, 'partial');
    const missing = await runCli(['report', 'merge', shard(1), shard(3), '-o', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard 2/3 is missing: without it the merged report would leave checks out');
    const twice = await runCli(['report', 'merge', shard(1), shard(2), shard(2), shard(3), '-o', out]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/shard 2\/3 is given twice|the shards overlap/);
    const mixed = await runCli(['report', 'merge', join(dir.path, 'whole', 'gauntlet-report.json'), shard(1), '-o', out]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('is a whole run and');
    const elsewhere = JSON.parse(readFileSync(shard(2), 'utf8'));
    elsewhere.target.url = 'http://127.0.0.1:1';
    const moved = dir.file('elsewhere.json', JSON.stringify(elsewhere));
    const otherTarget = await runCli(['report', 'merge', shard(1), moved, shard(3), '-o', out]);
    expect(otherTarget.code).toBe(2);
    expect(otherTarget.stderr).toContain('was run with target http://127.0.0.1:1');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to merge overlapping shards and files that are not run reports', async () => {
    const whole = join(dir.path, 'whole', 'gauntlet-report.json');
    const overlap = await runCli(['report', 'merge', whole, whole, '-o', join(dir.path, 'x')]);
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toContain('the shards overlap');
    const bogus = dir.file('bogus.json', '{"hello": 1}');
    const notRun = await runCli(['report', bogus, '-o', join(dir.path, 'x')]);
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toContain('is not a gauntlet run report');
  });

  it('re-renders a saved run as HTML and JUnit with the same counts', async () => {
    const out = join(dir.path, 'rerender');
    const cli = await runCli(['report', join(dir.path, 'whole', 'gauntlet-report.json'), '-r', 'html,junit', '-o', out]);
    expect(cli.code).toBe(readRun(join(dir.path, 'whole')).verdict.exitCode);
    const html = readFileSync(join(out, 'gauntlet-report.html'), 'utf8');
    const run = readRun(join(dir.path, 'whole'));
    expect(html).toContain(`data-count="failed">${run.totals.byStatus.failed}<`);
    expect(readFileSync(join(out, 'gauntlet-junit.xml'), 'utf8')).toContain(`tests="${run.totals.checks}"`);
  });
});
