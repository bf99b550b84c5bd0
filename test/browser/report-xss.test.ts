import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium, watchPage } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const PAYLOADS = [
  '<script>window.__pwned = 1; alert("script")</script>',
  '<img src=x onerror="window.__pwned = 2; alert(\'img\')">',
  '</style><style>body{display:none}</style>',
  '{{constructor.constructor("window.__pwned = 3")()}}',
  '{{handlebars}}',
  '</pre></details><svg onload="window.__pwned = 4">',
];

describe.skipIf(!chromiumPath)('a hostile target cannot script the HTML report', () => {
  let browser: Browser;
  let dir: TempDir;
  let hostile: TestServer;
  beforeAll(async () => {
    browser = await launchChromium();
    dir = tempDir();
    // Puts every payload into its status text, a header and its body.
    hostile = await startTestServer((_req, res) => {
      res.writeHead(200, PAYLOADS[0]!, { 'x-evil': PAYLOADS[1]!, 'x-template': PAYLOADS[3]!, 'content-type': 'text/html' });
      res.end(PAYLOADS.join('\n'));
    });
  });
  afterAll(async () => {
    await hostile?.close();
    await browser?.close();
    dir?.remove();
  });

  it('shows every payload as text and runs none of it', async () => {
    const scenario = dir.file(
      'xss.yaml',
      `name: xss\nchecks:\n  - { id: xss.body, kind: http, severity: high, request: { path: "/x" }, expect: { status: 404, body: { contains: "harmless" } } }\n`,
    );
    const out = join(dir.path, 'out');
    const cli = await runCli(['run', scenario, '--target', hostile.url, '-r', 'html,json', '-o', out]);
    expect(cli.code).toBe(1);
    const json = readFileSync(join(out, 'gauntlet-report.json'), 'utf8');
    expect(json).toContain('window.__pwned = 1'); // the payloads really reached the report's data

    const file = join(out, 'gauntlet-report.html');
    const url = pathToFileURL(file).href;
    const page = await browser.newPage();
    const watch = watchPage(page, url);
    await page.goto(url, { timeout: 15_000 });
    await page.waitForTimeout(300);

    expect(watch.dialogs).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(watch.requests).toEqual([]);
    expect(await page.locator('body').isVisible()).toBe(true);
    const text = await page.locator('body').innerText();
    for (const payload of ['<script>window.__pwned = 1;', '<img src=x onerror=', '</style><style>', '{{handlebars}}', '{{constructor.constructor(', '<svg onload=']) {
      expect(text).toContain(payload);
    }
    // The only script element is the report's own.
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('img, svg[onload], iframe').count()).toBe(0);
  });
});
