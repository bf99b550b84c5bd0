import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** Clears the screen, prints a fake green PASS line and retitles the terminal window. */
const ATTACK = '\x1b[2J\x1b[H\x1b[32mPASS: everything is fine\x1b[0m\x1b]0;pwned\x07\x9b31m';

describe('the console reporter against a target that sends terminal escape codes', () => {
  let server: TestServer;
  let dir: TempDir;
  beforeAll(async () => {
    server = await startTestServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(ATTACK));
    dir = tempDir();
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('shows them as \\xNN text and lets none reach the terminal', async () => {
    const scenario = dir.file('esc.yaml', 'name: esc\nchecks:\n  - { id: esc, kind: http, severity: low, request: { path: / }, expect: { body: { contains: expected-text } } }\n');
    const cli = await runCli(['run', scenario, '--target', server.url, '-r', 'console', '-o', dir.path]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('\\x1b[2J\\x1b[H\\x1b[32mPASS: everything is fine');
    expect(cli.stdout).toContain('\\x07\\x9b31m');
    // NO_COLOR is set by runCli: gauntlet itself writes no escape either, so none at all may appear.
    expect(cli.stdout + cli.stderr).not.toMatch(/[\x1b\x07\x9b]/);
  });
});
