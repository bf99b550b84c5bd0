import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPORTER_NAMES } from '../../src/report/create-reporters.js';
import { JUNIT_REPORT_FILE } from '../../src/report/junit.js';
import { SARIF_REPORT_FILE } from '../../src/report/sarif.js';
import type { RunResult } from '../../src/results/model.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Action {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const action = parse(read('action.yml')) as Action;
const stepById = (id: string) => action.runs.steps.find((s) => s.id === id)!;
const expressions = (text: string) => [...text.matchAll(/\$\{\{\s*(.+?)\s*\}\}/g)].map((m) => m[1]!);

/** Every option `gauntlet <command> --help` lists, long and short: the CLI's own definition. */
async function cliOptions(command: string): Promise<Set<string>> {
  const help = await runCli([command, '--help']);
  expect(help.code).toBe(0);
  const options = new Set<string>();
  for (const match of help.stdout.matchAll(/^\s+(?:(-\w), )?(--[\w-]+)/gm)) {
    if (match[1]) options.add(match[1]);
    options.add(match[2]!);
  }
  return options;
}

/** The options (`--name`, `-x`) written in a command line. */
const optionsIn = (commandLine: string) => [...commandLine.matchAll(/(?:^|\s)(--?[a-z][\w-]*)/g)].map((m) => m[1]!);

describe('the GitHub Action (action.yml)', () => {
  it('is a composite action whose steps use only declared inputs and existing steps, and every input is used', () => {
    expect(action.runs.using).toBe('composite');
    const text = read('action.yml');
    // A step's `if:` is an expression without the ${{ }}.
    const conditions = action.runs.steps.map((s) => s.if).filter((c): c is string => c !== undefined);
    const used = new Set([...expressions(text), ...conditions].flatMap((e) => [...e.matchAll(/\binputs\.([\w-]+)/g)].map((m) => m[1]!)));
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
    const stepIds = new Set(action.runs.steps.map((s) => s.id).filter(Boolean));
    for (const expression of expressions(text)) for (const [, id] of expression.matchAll(/\bsteps\.([\w-]+)\./g)) expect(stepIds, expression).toContain(id);
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).toBeTruthy();
  });

  it('puts no expression inside a script (inputs reach them through env, so no input runs as shell code)', () => {
    for (const step of action.runs.steps.filter((s) => s.run)) {
      expect(expressions(step.run!), step.name).toEqual([]);
      expect(step.shell, step.name).toBe('bash');
    }
  });

  it('uses well-known actions pinned to a major version: setup-node, upload-sarif, action-junit-report, upload-artifact', () => {
    const uses = action.runs.steps.map((s) => s.uses).filter(Boolean);
    expect(uses).toEqual(['actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3', 'mikepenz/action-junit-report@v5', 'actions/upload-artifact@v4']);
  });

  it("uploads the files gauntlet writes: the run step names gauntlet's SARIF and JUnit files, the upload steps take them", async () => {
    const run = stepById('run').run!;
    expect(run).toContain(`/${SARIF_REPORT_FILE}`);
    expect(run).toContain(`/${JUNIT_REPORT_FILE}`);
    const sarif = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(sarif.with).toMatchObject({ sarif_file: '${{ steps.run.outputs.sarif-file }}' });
    expect(sarif.if).toContain("steps.run.outputs.sarif-file != ''");
    const junit = action.runs.steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report'))!;
    expect(junit.with).toMatchObject({ report_paths: '${{ steps.run.outputs.junit-file }}', fail_on_failure: false });
    for (const step of [sarif, junit]) expect(step.if).toMatch(/^always\(\) && /);
  });

  it('runs gauntlet with options the CLI defines, and reporters it has', async () => {
    const run = stepById('run').run!;
    // What the script puts in gauntlet's arguments: args=(...) and args+=(...).
    const invocation = [...run.matchAll(/\bargs\+?=\(([^)]*)\)/g)].map((m) => m[1]).join(' ');
    const known = await cliOptions('run');
    const used = optionsIn(invocation);
    expect(used).toEqual(expect.arrayContaining(['--reporter', '--output-dir', '--profile', '--target', '--fail-on']));
    for (const option of used) expect(known, option).toContain(option);
    const reporters = /--reporter (\S+)/.exec(invocation)![1]!.split(',');
    for (const reporter of reporters) expect(REPORTER_NAMES).toContain(reporter);
    expect(reporters).toEqual(expect.arrayContaining(['junit', 'sarif']));
  });

  describe('its scripts, run as the runner would run them', () => {
    let dir: TempDir;
    let server: TestServer;
    beforeAll(async () => {
      dir = tempDir();
      server = await startTestServer((req, res) => res.writeHead(req.url === '/ok' ? 200 : 404).end('{}'));
      dir.file('audit/a.yaml', 'name: a\nchecks:\n  - { id: act.ok, kind: http, severity: low, request: { path: /ok }, expect: { status: 200 } }\n');
      dir.file(
        'audit/b.yaml',
        'name: b\nchecks:\n  - { id: act.wrong, kind: http, severity: high, request: { path: /ok }, expect: { status: 500 } }\n  - { id: act.other, kind: http, severity: high, request: { path: /nope }, expect: { status: 200 } }\n',
      );
    });
    afterAll(async () => {
      await server.close();
      dir.remove();
    });

    /** A step's env with its expressions evaluated: inputs (given, else their defaults), the install step's bin. */
    function stepEnv(step: Step, inputs: Record<string, string>, outputFile: string): NodeJS.ProcessEnv {
      const value = (expression: string) => {
        const input = /^inputs\.([\w-]+)$/.exec(expression);
        if (input) return inputs[input[1]!] ?? action.inputs[input[1]!]!.default ?? '';
        if (expression === 'steps.install.outputs.bin') return BIN;
        if (expression === 'github.action_path') return ROOT;
        throw new Error(`no value for ${expression} in this test`);
      };
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, text]) => [name, String(text).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_m, e: string) => value(e))]));
      return { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: outputFile, ...env };
    }

    /** Runs a step's script in bash; asynchronously, as the target server lives in this process. */
    const runStep = async (step: Step, inputs: Record<string, string>, name: string) => {
      const outputFile = dir.file(`${name}.github-output`, '');
      const child = spawn('bash', ['-c', step.run!], { cwd: dir.path, env: stepEnv(step, inputs, outputFile) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const [status] = (await once(child, 'close')) as [number | null];
      const outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2)));
      return { status, stdout, stderr, outputs };
    };

    it('the run step runs gauntlet with the inputs (quoted args included), never fails itself, and reports its outputs', async () => {
      const result = await runStep(stepById('run'), { scenarios: 'audit/a.yaml audit/b.yaml', target: server.url, 'fail-on': 'high', args: `--only 'act.ok' --only "act.wrong" --timeout 5s` }, 'run');
      expect(result.status, result.stderr).toBe(0);
      expect(result.outputs).toEqual({
        'exit-code': '1',
        'report-dir': 'gauntlet-reports',
        'sarif-file': `gauntlet-reports/${SARIF_REPORT_FILE}`,
        'junit-file': `gauntlet-reports/${JUNIT_REPORT_FILE}`,
      });
      for (const file of [result.outputs['sarif-file'], result.outputs['junit-file']]) expect(existsSync(join(dir.path, file!))).toBe(true);
      const run: RunResult = JSON.parse(readFileSync(join(dir.path, 'gauntlet-reports/gauntlet-report.json'), 'utf8'));
      expect(run.scenarios.flatMap((s) => s.checks).map((c) => c.id).sort()).toEqual(['act.ok', 'act.wrong']);
      expect(run.options.failOn).toBe('high');
      // FORCE_COLOR: the job log shows colour.
      expect(result.stdout).toContain('\x1b[');
    });

    it('an args input cannot run shell code', async () => {
      const marker = join(dir.path, 'pwned');
      const result = await runStep(stepById('run'), { scenarios: 'audit/a.yaml', target: server.url, args: `$(touch ${marker}) \`touch ${marker}\`; touch ${marker}` }, 'inject');
      expect(existsSync(marker)).toBe(false);
      expect(result.outputs['exit-code']).toBe('2');
    });

    it('an args input with an unmatched quote sends nothing and gates as a usage error', async () => {
      const before = server.requests.length;
      const result = await runStep(stepById('run'), { scenarios: 'audit/a.yaml', target: server.url, args: `--only 'act.ok` }, 'unmatched');
      expect(result.status).toBe(0);
      expect(result.outputs).toEqual({ 'exit-code': '2' });
      expect(result.stdout).toContain('::error title=gauntlet::the args input could not be split into words');
      expect(server.requests.length).toBe(before);
    });

    it('the gate step fails the job with gauntlet\'s exit code and says what it means', () => {
      const gate = action.runs.steps.at(-1)!;
      expect(gate.if).toBe("always() && steps.run.outputs.exit-code != ''");
      const failed = spawnSync('bash', ['-c', gate.run!], { env: { PATH: process.env.PATH, GAUNTLET_EXIT_CODE: '3' }, encoding: 'utf8' });
      expect(failed.status).toBe(3);
      expect(failed.stdout).toContain('::error title=gauntlet::the target could not be reached (exit 3)');
      expect(spawnSync('bash', ['-c', gate.run!], { env: { PATH: process.env.PATH, GAUNTLET_EXIT_CODE: '0' } }).status).toBe(0);
    });
  });
});

describe('the example GitHub workflow (docs/examples/github-workflow.yml)', () => {
  const workflow = parse(read('docs/examples/github-workflow.yml'));
  const job = workflow.jobs.gauntlet;
  const auditStep = (job.steps as Step[]).find((s) => s.uses?.includes('/gauntlet@'))!;

  it('uses the action with inputs it declares, and grants the permissions its uploads need', () => {
    expect(auditStep).toBeDefined();
    for (const input of Object.keys(auditStep.with ?? {})) expect(Object.keys(action.inputs), input).toContain(input);
    for (const [name, input] of Object.entries(action.inputs)) if (input.required) expect(auditStep.with, name).toHaveProperty(name);
    expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write', checks: 'write' });
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
  });

  it('passes options the CLI defines in args', async () => {
    const known = await cliOptions('run');
    for (const option of optionsIn(String(auditStep.with!.args))) expect(known, option).toContain(option);
  });

  it('is an example, not a workflow of this repository (it would run here)', () => {
    expect(existsSync(join(ROOT, '.github/workflows/github-workflow.yml'))).toBe(false);
  });
});

describe('the GitLab CI template (docs/examples/gitlab-ci.yml)', () => {
  const pipeline = parse(read('docs/examples/gitlab-ci.yml'));
  const job = pipeline.gauntlet;
  const command = (job.script as string[]).find((line) => /\bgauntlet run\b/.test(line))!;
  const outputDir = /--output-dir (\S+)/.exec(command)?.[1];

  it('runs gauntlet with options the CLI defines, writing JUnit and SARIF', async () => {
    const known = await cliOptions('run');
    for (const option of optionsIn(command)) expect(known, option).toContain(option);
    const reporters = /--reporter (\S+)/.exec(command)![1]!.split(',');
    expect(reporters).toEqual(expect.arrayContaining(['junit', 'sarif']));
    for (const reporter of reporters) expect(REPORTER_NAMES).toContain(reporter);
    expect(outputDir).toBeTruthy();
  });

  it('gives GitLab the JUnit report and keeps the SARIF with the other reports, whatever the verdict', () => {
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.reports.junit).toBe(`${outputDir}/${JUNIT_REPORT_FILE}`);
    expect(job.artifacts.paths).toContain(`${outputDir}/`);
  });
});
