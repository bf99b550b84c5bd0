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

/** Copies that appear only in the status text and in headers, so each place is proven to show them as text. */
const IN_STATUS = '<script>window.__pwned = 5; /*from-status*/</script>';
const IN_HEADERS = {
  'x-evil': '<img src=x onerror="window.__pwned = 6 /*from-header*/">',
  'x-template': '{{constructor.constructor("window.__pwned = 7")()}} /*from-header*/',
  'x-style': '</style><style>body{display:none}</style> /*from-header*/',
};

describe.skipIf(!chromiumPath)('a hostile target cannot script the HTML report', () => {
  let browser: Browser;
  let dir: TempDir;
  let hostile: TestServer;
  beforeAll(async () => {
    browser = await launchChromium();
    dir = tempDir();
    // Puts payloads into its status text and headers (each marked with where it came from), and all into its body.
    hostile = await startTestServer((_req, res) => {
      res.writeHead(200, IN_STATUS, { ...IN_HEADERS, 'content-type': 'text/html' });
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
    // Evidence is folded: unfold everything, as a reader reading it all would.
    await page.evaluate("document.querySelectorAll('details').forEach((d) => d.setAttribute('open', ''))");
    const text = await page.locator('body').innerText();
    for (const payload of ['<script>window.__pwned = 1;', '<img src=x onerror=', '</style><style>', '{{handlebars}}', '{{constructor.constructor(', '<svg onload=']) {
      expect(text).toContain(payload);
    }
    const html = readFileSync(file, 'utf8');
    for (const payload of [IN_STATUS, ...Object.values(IN_HEADERS)]) {
      expect(json, 'the status text and headers reached the report').toContain(JSON.stringify(payload).slice(1, -1));
      expect(html).not.toContain(payload);
      expect(await page.getByText(payload, { exact: false }).count(), payload).toBeGreaterThan(0);
    }
    // The only script element is the report's own.
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('img, svg[onload], iframe').count()).toBe(0);
  });
});
