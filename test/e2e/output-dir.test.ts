import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('gauntlet-output-dir-');
afterAll(() => dir.remove());

const aFile = dir.file('a-file', 'not a folder\n');
symlinkSync(aFile, join(dir.path, 'link-to-file'));
symlinkSync(join(dir.path, 'loop-b'), join(dir.path, 'loop-a'));
symlinkSync(join(dir.path, 'loop-a'), join(dir.path, 'loop-b'));
symlinkSync(join(dir.path, 'nowhere', 'at-all'), join(dir.path, 'dangling'));

/** The output folder given, and the words that must name what is wrong with it. */
const BAD_FOLDERS: [string, string, RegExp][] = [
  ['a regular file', aFile, /is a file, not a folder/],
  ['a path under a file', join(aFile, 'reports'), new RegExp(`is under ${aFile}, which is a file, not a folder`)],
  ['a symbolic link to a file', join(dir.path, 'link-to-file'), new RegExp(`is a symbolic link to ${aFile}, a file, not a folder`)],
  ['a path under a symbolic link to a file', join(dir.path, 'link-to-file', 'reports'), /which is a symbolic link to .*a-file, a file, not a folder/],
  ['a symbolic link loop', join(dir.path, 'loop-a'), /is a symbolic link in a loop/],
  ['a path inside a symbolic link loop', join(dir.path, 'loop-a', 'reports'), /is under .*loop-a, which is a symbolic link in a loop/],
  ['a dangling symbolic link', join(dir.path, 'dangling'), /is a symbolic link to .*at-all, which does not exist/],
];

describe('--output-dir is checked before anything is sent', () => {
  let target: TestServer;
  let scenario: string;
  beforeAll(async () => {
    target = await startTestServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    scenario = dir.file('one.yaml', 'name: one\nchecks:\n  - { id: one.ok, kind: http, severity: low, request: { path: /x }, expect: { status: 200 } }\n');
  });
  afterAll(() => target.close());

  it.each(BAD_FOLDERS)('run refuses %s with exit 2, a clear message, and no request sent', async (_name, outputDir, problem) => {
    const before = target.requests.length;
    const cli = await runCli(['run', scenario, '--target', target.url, '-r', 'console,json,html', '-o', outputDir]);
    expect(cli.code, cli.stderr).toBe(2);
    expect(cli.stderr).toContain(`error[E_OUTPUT_DIR]: --output-dir ${outputDir} `);
    expect(cli.stderr).toMatch(problem);
    expect(cli.stderr).toContain('nothing was sent');
    expect(cli.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(target.requests.length - before).toBe(0);
  });

  it('leaves a usable folder as it was: made when missing, no probe file left behind', async () => {
    const outputDir = join(dir.path, 'fresh', 'nested', 'reports');
    const cli = await runCli(['run', scenario, '--target', target.url, '-r', 'json', '-o', outputDir]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(readdirSync(outputDir)).toEqual(['gauntlet-report.json']);
  });

  it('does not look at the folder when only the console reporter is selected: it writes no file', async () => {
    const before = target.requests.length;
    const cli = await runCli(['run', scenario, '--target', target.url, '-r', 'console', '-o', aFile]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(target.requests.length - before).toBe(1);
  });

  it('report and report merge refuse a folder that is a file, with exit 2 and no stack trace', async () => {
    const saved = join(dir.path, 'saved');
    expect((await runCli(['run', scenario, '--target', target.url, '-r', 'json', '-o', saved])).code).toBe(0);
    const run = join(saved, 'gauntlet-report.json');
    for (const args of [['report', run], ['report', 'merge', run]]) {
      const cli = await runCli([...args, '-r', 'html', '-o', join(aFile, 'html')]);
      expect(cli.code, cli.stderr).toBe(2);
      expect(cli.stderr).toMatch(/error\[E_OUTPUT_DIR\]: --output-dir .*a-file\/html is under .*a-file, which is a file, not a folder/);
      expect(cli.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('the demo refuses a folder that is a file before it makes its server, keys or PKI', async () => {
    const tmp = join(dir.path, 'demo-tmp');
    mkdirSync(tmp);
    const cli = await runCli(['demo', '-o', aFile], { env: { TMPDIR: tmp } });
    expect(cli.code, cli.stderr).toBe(2);
    expect(cli.stderr).toContain(`error[E_OUTPUT_DIR]: --output-dir ${aFile} is a file, not a folder`);
    expect(cli.stderr).not.toContain('reference server at');
    expect(readdirSync(tmp)).toEqual([]);
  });
});
