import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPORTER_NAMES } from '../../src/report/create-reporters.js';
import { JSON_REPORT_FILE } from '../../src/report/json.js';
import { JUNIT_REPORT_FILE } from '../../src/report/junit.js';
import { SARIF_REPORT_FILE } from '../../src/report/sarif.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface WorkflowJob {
  needs?: string | string[];
  permissions?: Record<string, string>;
  strategy?: { 'fail-fast'?: boolean; matrix: Record<string, unknown[]> };
  steps: Step[];
}

const EXAMPLE = 'docs/examples/github-segments.yml';
const workflow = parse(readFileSync(join(ROOT, EXAMPLE), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, WorkflowJob> };
const jobs = Object.entries(workflow.jobs);
const [segmentJobId, segmentJob] = jobs.find(([, job]) => job.strategy?.matrix)!;
const [, mergeJob] = jobs.find(([, job]) => job.steps.some((s) => /\bgauntlet report merge\b/.test(s.run ?? '')))!;
const auditStep = segmentJob.steps.find((s) => /\bgauntlet run\b/.test(s.run ?? ''))!;
const mergeStep = mergeJob.steps.find((s) => /\bgauntlet report merge\b/.test(s.run ?? ''))!;
const stepUsing = (job: WorkflowJob, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));

const expressions = (text: string) => [...text.matchAll(/\$\{\{\s*(.+?)\s*\}\}/g)].map((m) => m[1]!);
/** A text with the matrix value in place of `${{ matrix.i }}`, as the runner makes it. */
const withSegment = (text: string, i: number) => text.replace(/\$\{\{\s*matrix\.i\s*\}\}/g, String(i));
/** A glob of `*`s as a regular expression: what bash's expansion and download-artifact's pattern match. */
const globRegExp = (glob: string) => new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
const optionValue = (command: string, option: string) => new RegExp(`(?:^|\\s)${option} (\\S+)`).exec(command)?.[1];

/** The segments in the command (`--segment ${{ matrix.i }}/N`): N. */
const segmentCount = Number(/--segment \$\{\{ matrix\.i \}\}\/(\d+)\b/.exec(auditStep.run ?? '')?.[1]);
const segments = segmentJob.strategy!.matrix.i as number[];

describe(`the GitHub Actions segments example (${EXAMPLE})`, () => {
  it('is a matrix of segments 1..N, each running gauntlet run --segment i/N with the JSON reporter into a folder of its own', () => {
    expect(segmentCount).toBeGreaterThan(1);
    expect(segments).toEqual(Array.from({ length: segmentCount }, (_, i) => i + 1));
    expect(Object.keys(segmentJob.strategy!.matrix)).toEqual(['i']);
    expect(optionValue(auditStep.run!, '-r')!.split(',')).toContain('json');
    const outputDirs = segments.map((i) => optionValue(withSegment(auditStep.run!, i), '-o'));
    expect(new Set(outputDirs).size).toBe(segments.length);
    // Load against a target the runners share is never loopback.
    expect(auditStep.run).toContain('--allow-load');
  });

  it('each segment uploads its JSON report as an artifact of its own, and the merge job, which needs the matrix, downloads them all and merges what they hold', () => {
    const uploads = segments.map((i) => {
      const [upload] = stepUsing(segmentJob, 'actions/upload-artifact');
      const path = withSegment(String(upload!.with!.path), i);
      expect(path).toBe(`${optionValue(withSegment(auditStep.run!, i), '-o')}/${JSON_REPORT_FILE}`);
      expect(upload!.with!['if-no-files-found']).toBe('error');
      return { name: withSegment(String(upload!.with!.name), i), file: basename(path) };
    });
    expect(new Set(uploads.map((u) => u.name)).size).toBe(segments.length);

    expect([mergeJob.needs].flat()).toContain(segmentJobId);
    const [download] = stepUsing(mergeJob, 'actions/download-artifact');
    // Without merge-multiple, download-artifact puts each artifact in a folder named after it; a one-file upload
    // keeps just the file: gauntlet-segment-1/gauntlet-report.json.
    expect(download!.with!['merge-multiple']).toBeUndefined();
    const downloaded = uploads.map((u) => {
      expect(u.name).toMatch(globRegExp(String(download!.with!.pattern)));
      return `${u.name}/${u.file}`;
    });
    const inputs = mergeStep.run!.split(/\s+/).filter((word) => word.includes('*'));
    expect(inputs).toHaveLength(1);
    for (const file of downloaded) expect(file).toMatch(globRegExp(inputs[0]!));
  });

  it('the merge writes SARIF where the upload step reads it, with the permission it needs', () => {
    const reporters = optionValue(mergeStep.run!, '-r')!.split(',');
    expect(reporters).toEqual(expect.arrayContaining(['junit', 'sarif']));
    for (const reporter of [...reporters, ...optionValue(auditStep.run!, '-r')!.split(',')]) expect(REPORTER_NAMES).toContain(reporter);
    const [sarif] = stepUsing(mergeJob, 'github/codeql-action/upload-sarif');
    expect(sarif!.with!.sarif_file).toBe(`${optionValue(mergeStep.run!, '-o')}/${SARIF_REPORT_FILE}`);
    expect(sarif!.if).toMatch(/^always\(\)/);
    expect(mergeJob.permissions).toMatchObject({ 'security-events': 'write' });
  });

  it('uses actions pinned to a major version', () => {
    const uses = jobs.flatMap(([, job]) => job.steps.map((s) => s.uses).filter((u): u is string => Boolean(u)));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w-]+\/[\w./-]+@v\d+$/);
  });

  it('puts no expression in a script but the matrix value: the target and the key reach it through env', () => {
    for (const [id, job] of jobs) for (const step of job.steps.filter((s) => s.run)) expect(expressions(step.run!), `${id}: ${step.name ?? step.run}`).toEqual(expressions(step.run!).filter((e) => e === 'matrix.i'));
    expect(Object.values(auditStep.env ?? {}).flatMap((v) => expressions(v))).toEqual(expect.arrayContaining([expect.stringMatching(/^secrets\./)]));
  });

  it('runs gauntlet with options the CLI defines', async () => {
    const known = async (command: string) => {
      const help = await runCli([command, '--help']);
      expect(help.code, help.stderr).toBe(0);
      return new Set([...help.stdout.matchAll(/^\s+(?:(-\w), )?(--[\w-]+)/gm)].flatMap((m) => [m[1], m[2]].filter((o): o is string => Boolean(o))));
    };
    const optionsIn = (text: string) => [...text.matchAll(/(?:^|\s)(--?[a-z][\w-]*)/g)].map((m) => m[1]!);
    const run = await known('run');
    const gauntletLine = auditStep.run!.split('\n').find((line) => line.includes('gauntlet run'))!.split('||')[0]!;
    for (const option of optionsIn(gauntletLine)) expect(run, option).toContain(option);
    const report = await known('report');
    for (const option of optionsIn(mergeStep.run!)) expect(report, option).toContain(option);
  });

  it('is an example, not a workflow of this repository (it would run here)', () => {
    expect(existsSync(join(ROOT, '.github/workflows/github-segments.yml'))).toBe(false);
    expect(Object.keys(workflow.on)).not.toContain('push');
  });

  describe('its scripts, run in bash as the runner runs them', () => {
    let dir: TempDir;
    let server: TestServer;
    let stubBin: string;
    beforeAll(async () => {
      dir = tempDir('gauntlet-segments-');
      server = await startTestServer((_req, res) => res.writeHead(200).end('{}'));
      stubBin = join(dir.path, 'bin');
      mkdirSync(stubBin);
      // npx: `npx gauntlet ...` runs this checkout's gauntlet, unless the test asks for a stand-in segment run.
      writeFileSync(
        join(stubBin, 'npx'),
        [
          '#!/bin/sh',
          '[ "$1" = gauntlet ] || exit 127',
          'shift',
          'if [ -n "${STUB_SEGMENT_EXIT:-}" ]; then',
          '  printf "%s\\n" "$@" > "$STUB_ARGS"',
          '  while [ "$#" -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done',
          '  [ -n "${STUB_WRITES_REPORT:-}" ] && mkdir -p "$out" && echo "{}" > "$out/gauntlet-report.json"',
          '  exit "$STUB_SEGMENT_EXIT"',
          'fi',
          `exec "${process.execPath}" "${BIN}" "$@"`,
        ].join('\n') + '\n',
      );
      chmodSync(join(stubBin, 'npx'), 0o755);
    });
    afterAll(async () => {
      await server.close();
      dir.remove();
    });

    const bash = (script: string, cwd: string, env: Record<string, string> = {}) =>
      spawnSync('bash', ['-e', '-c', script], { cwd, env: { PATH: `${stubBin}:${process.env.PATH}`, HOME: process.env.HOME, ...env }, encoding: 'utf8' });

    it('a segment with findings (exit 1) that wrote its report passes, for the merge to judge; one that wrote no report fails', () => {
      const cwd = join(dir.path, 'segment');
      mkdirSync(cwd);
      const script = withSegment(auditStep.run!, 2);
      const args = join(dir.path, 'segment-args');
      const findings = bash(script, cwd, { STUB_SEGMENT_EXIT: '1', STUB_WRITES_REPORT: '1', STUB_ARGS: args });
      expect(findings.status, findings.stderr).toBe(0);
      expect(findings.stdout).toContain('gauntlet exited 1');
      expect(readFileSync(args, 'utf8').split('\n')).toEqual(expect.arrayContaining(['run', '--segment', `2/${segmentCount}`, '-o', 'gauntlet-segment-2']));
      const empty = join(dir.path, 'segment-usage-error');
      mkdirSync(empty);
      const usage = bash(script, empty, { STUB_SEGMENT_EXIT: '2', STUB_ARGS: args });
      expect(usage.status).not.toBe(0);
      expect(existsSync(join(empty, 'gauntlet-segment-2'))).toBe(false);
    });

    it('the merge step merges the downloaded reports into the SARIF and JUnit files the upload steps read (shard reports standing in for segments)', async () => {
      const cwd = join(dir.path, 'merge');
      mkdirSync(cwd);
      writeFileSync(
        join(cwd, 'audit.yaml'),
        'name: audit\nchecks:\n' + ['a', 'b', 'c'].map((id) => `  - { id: seg.${id}, kind: http, severity: low, request: { path: /${id} }, expect: { status: 200 } }\n`).join(''),
      );
      // The layout download-artifact leaves: one folder per artifact, named after it, holding the JSON report.
      for (const i of segments) {
        const run = await runCli(['run', 'audit.yaml', '--target', server.url, '--shard', `${i}/${segmentCount}`, '-r', 'json', '-o', `gauntlet-segment-${i}`], { cwd });
        expect(run.code, run.stdout + run.stderr).toBe(0);
      }
      const merged = bash(mergeStep.run!, cwd);
      expect(merged.status, merged.stdout + merged.stderr).toBe(0);
      const outputDir = optionValue(mergeStep.run!, '-o')!;
      for (const file of [SARIF_REPORT_FILE, JUNIT_REPORT_FILE]) expect(existsSync(join(cwd, outputDir, file)), file).toBe(true);
      const junit = readFileSync(join(cwd, outputDir, JUNIT_REPORT_FILE), 'utf8');
      for (const id of ['seg.a', 'seg.b', 'seg.c']) expect(junit).toContain(id);
    }, 120_000);
  });
});
