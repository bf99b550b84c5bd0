import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** Not a multiple of 3 bytes (so base64 is padded), with characters whose base64 has + and / in it. */
const KEY = 'sk_live_Zq8wX3vN5mK1pL7r~~~???>>>x';

/** Each encoding the target echoes, by the name it is asked for in the path. */
const ENCODE: Record<string, (key: string) => string> = {
  base64: (key) => Buffer.from(key).toString('base64'),
  base64unpadded: (key) => Buffer.from(key).toString('base64').replace(/=+$/, ''),
  base64url: (key) => Buffer.from(key).toString('base64url'),
  hex: (key) => Buffer.from(key).toString('hex'),
  HEX: (key) => Buffer.from(key).toString('hex').toUpperCase(),
  // The key at the 3 offsets within a base64 group, inside a longer text, as Basic credentials put it.
  basic0: (key) => Buffer.from(`usr${key}:x`).toString('base64'),
  basic1: (key) => Buffer.from(`user${key}:x`).toString('base64'),
  basic2: (key) => Buffer.from(`user:${key}:x`).toString('base64'),
};

/** What of each encoding must not appear anywhere: for a key inside a longer text, the part that depends on it alone. */
function tellTale(name: string): string {
  const encoded = ENCODE[name]!(KEY);
  if (!name.startsWith('basic')) return encoded;
  const offset = Number(name.slice(-1));
  const prefix = 3 + offset;
  return encoded.slice(Math.ceil((prefix * 8) / 6), Math.floor(((prefix + Buffer.byteLength(KEY)) * 8) / 6));
}

describe('a target echoing the key encoded', () => {
  let dir: TempDir;
  let echo: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    echo = await startTestServer((req, res) => {
      const sent = String(req.headers['x-api-key'] ?? '');
      const encoded = ENCODE[req.url!.slice(1)]?.(sent) ?? '';
      res.setHeader('x-echo', encoded);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ echo: encoded, text: `your key is ${encoded}.` }));
    });
  });
  afterAll(async () => {
    await echo.close();
    dir.remove();
  });

  it('keeps every encoding out of the console and the JSON, HTML, JUnit and SARIF reports', async () => {
    const profile = dir.file('profile.yaml', `target: ${echo.url}\nkeys:\n  main: \${env:GAUNTLET_TEST_KEY}\n`);
    // Each check fails on the echoed value, so it is shown in the messages, the assertions and the evidence.
    const checks = Object.keys(ENCODE).map(
      (name) =>
        `  - { id: echo.${name}, kind: http, severity: high, request: { path: /${name}, key: main }, expect: { status: 200, headers: { x-echo: { equals: nope } }, json: { $.echo: { equals: nope } }, body: { contains: nope } } }`,
    );
    const scenario = dir.file('echo.yaml', `name: echo\nchecks:\n${checks.join('\n')}\n`);
    const out = join(dir.path, 'out');
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'console,json,html,junit,sarif', '-o', out, '--verbose'], {
      env: { GAUNTLET_TEST_KEY: KEY },
    });
    expect(cli.code, cli.stderr).toBe(1);

    // The target really echoed each encoding, so their absence below is redaction.
    for (const name of Object.keys(ENCODE)) {
      const request = echo.requests.find((r) => r.url === `/${name}`);
      expect(request?.headers['x-api-key']).toBe(KEY);
    }
    const files = readdirSync(out);
    expect(files.sort()).toEqual(['gauntlet-junit.xml', 'gauntlet-report.html', 'gauntlet-report.json', 'gauntlet.sarif']);
    const outputs = [['stdout', cli.stdout], ['stderr', cli.stderr], ...files.map((f) => [f, readFileSync(join(out, f), 'utf8')])];
    for (const [where, text] of outputs) {
      for (const name of Object.keys(ENCODE)) expect(text, `${name} in ${where}`).not.toContain(tellTale(name));
      expect(text, where).not.toContain(KEY);
    }
    expect(cli.stdout).toMatch(/header x-echo equals: expected nope, got \[redacted:[0-9a-f]{8}\]/);
    const report = readFileSync(join(out, 'gauntlet-report.json'), 'utf8');
    expect(report).toMatch(/your key is \[redacted:[0-9a-f]{8}\]\./);
  });
});
