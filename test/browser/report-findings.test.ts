import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { chromiumPath, launchChromium, watchPage } from '../helpers/browser.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const FLAWS = ['keys-query-accepted', 'headers-server-version', 'cors-null', 'input-500-on-malformed'];

describe.skipIf(!chromiumPath)('the findings of the HTML report in Chromium', () => {
  let browser: Browser;
  let dir: TempDir;
  let run: RunResult;
  let html: string;
  beforeAll(async () => {
    browser = await launchChromium();
    dir = tempDir();
    const out = join(dir.path, 'flawed');
    const demo = await runCli(['demo', ...FLAWS.flatMap((f) => ['--flaw', f]), '-o', out, '-r', 'json,html'], { timeoutMs: 180_000 });
    expect(demo.code, demo.stderr).toBe(1);
    run = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    html = join(out, 'gauntlet-report.html');
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
  }, 200_000);
  afterAll(async () => {
    await browser?.close();
    dir?.remove();
  });

  async function open(file: string) {
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page, url);
    await page.goto(url, { timeout: 15_000 });
    return { page, watch };
  }

  const checks = () => run.scenarios.flatMap((s) => s.checks);
  const byId = (id: string) => checks().find((c) => c.id === id)!;

  it('lists every failed check first, gravest first, each with its severity and a link that opens it', async () => {
    const { page, watch } = await open(html);
    const failed = checks().filter((c) => c.status === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(FLAWS.length);
    // The findings table comes before everything else in the report's body.
    expect(await page.evaluate("document.querySelector('main table').id")).toBe('findings');
    const rows = page.locator('#findings tbody tr');
    const listed = await rows.evaluateAll((trs) => trs.map((tr) => ({ id: tr.getAttribute('data-finding')!, severity: tr.querySelector('[data-severity]')!.textContent! })));
    expect(listed.map((r) => r.id).sort()).toEqual(failed.map((c) => c.id).sort());
    for (const row of listed) expect(row.severity, row.id).toBe(byId(row.id).severity);
    const rank = ['info', 'low', 'medium', 'high', 'critical'];
    const ranks = listed.map((r) => rank.indexOf(r.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));

    for (const { id } of listed) {
      // Folded first, as a reader who closed it would find it; the link opens it and brings it into view.
      const check = page.locator(`[id="check-${id}"]`);
      await check.evaluate((el) => el.removeAttribute('open'));
      await page.locator(`#findings a[href="#check-${id}"]`).click();
      expect(await check.getAttribute('open'), id).not.toBeNull();
      expect(await check.isVisible(), id).toBe(true);
      const top = await check.locator('> summary').evaluate((el) => el.getBoundingClientRect().top);
      expect(top >= 0 && top < 900, id).toBe(true);
    }
    await page.locator('#findings').screenshot({ path: join(ROOT, 'reports', 'report-findings.png') });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.requests).toEqual([]);
  });

  it('folds passed checks away, one click (or link) from view', async () => {
    const { page } = await open(html);
    const passed = checks().filter((c) => c.status === 'passed');
    const folds = page.locator('details.passed-checks');
    expect(await folds.count()).toBeGreaterThan(0);
    expect(await page.locator('details.passed-checks[open]').count()).toBe(0);
    expect(await page.locator('details.passed-checks details.check').count()).toBe(passed.length);
    expect(await page.locator('details.check.passed:visible').count()).toBe(0);
    await folds.first().locator('> summary').click();
    expect(await folds.first().locator('details.check.passed:visible').count()).toBeGreaterThan(0);

    // A link to a passed check in another fold shows it.
    const last = passed.at(-1)!;
    await page.evaluate(`document.body.insertAdjacentHTML('afterbegin', '<a id="to-passed" href="#check-${last.id}">go</a>')`);
    await page.locator('#to-passed').click();
    expect(await page.locator(`[id="check-${last.id}"]`).isVisible()).toBe(true);
  });

  it('shows for a finding what to change and the curl command that reproduces it, secrets as placeholders', async () => {
    const { page } = await open(html);
    const query = byId('keys.matrix.query');
    await page.locator('#findings a[href="#check-keys.matrix.query"]').click();
    const check = page.locator('[id="check-keys.matrix.query"]');
    const curl = check.locator('.reproduce pre.curl');
    expect(await curl.isVisible()).toBe(true);
    const shown = await curl.innerText();
    expect(shown).toBe(query.reproduce!.curl);
    expect(shown).toContain('api_key=${GAUNTLET_KEY_VALID}');
    expect(shown).not.toContain('[redacted');
    expect(await check.locator('.reproduce ul.variables').innerText()).toContain("$GAUNTLET_KEY_VALID: the profile's API key 'valid'");
    expect(await check.locator('.remediation').innerText()).toContain('key_in_query = false');
    // Evidence is folded until asked for.
    expect(await check.locator('details.exchanges').getAttribute('open')).toBeNull();
    await check.screenshot({ path: join(ROOT, 'reports', 'report-finding.png') });
  });

  it('marks the failing header in the folded evidence', async () => {
    const { page } = await open(html);
    const check = page.locator('[id="check-headers.api.no-version-leak"]');
    const evidence = check.locator('details.exchanges').first();
    expect(await check.locator('tr.failing[data-failing-header="server"]').first().isVisible()).toBe(false);
    await evidence.locator('> summary').click();
    const marked = check.locator('tr.failing[data-failing-header="server"]').first();
    expect(await marked.isVisible()).toBe(true);
    expect(await marked.innerText()).toContain('gauntlet-reference');
    expect(await check.locator('tr.failing').count()).toBe(await check.locator('tr.failing[data-failing-header="server"]').count());
  });
});

describe.skipIf(!chromiumPath)('status and severity in a check summary', () => {
  it('never overlap, ERRORED beside critical included', async () => {
    const dir = tempDir();
    const browser = await launchChromium();
    try {
      const recorded: RunResult = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/runs/charts-run.json'), 'utf8'));
      const checks = recorded.scenarios[0]!.checks;
      const errored: CheckResult = { ...checks.find((c) => c.id === 'ind.wrong')!, id: 'ind.errored', status: 'errored', severity: 'critical', message: 'connection refused' };
      checks.unshift(errored);
      const runFile = join(dir.path, 'errored-run.json');
      writeFileSync(runFile, JSON.stringify(recorded));
      const out = join(dir.path, 'out');
      expect((await runCli(['report', runFile, '-r', 'html', '-o', out])).stderr).toContain('wrote');
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(join(out, 'gauntlet-report.html')).href);
      await page.evaluate("document.querySelectorAll('details').forEach((d) => d.setAttribute('open', ''))");
      const gaps = await page.locator('details.check > summary').evaluateAll((summaries) =>
        summaries.map((s) => {
          const badge = s.querySelector('.badge')!.getBoundingClientRect();
          const severity = s.querySelector('.sev')!.getBoundingClientRect();
          return { text: s.querySelector('.badge')!.textContent, gap: severity.left - badge.right, inside: s.querySelector('.badge')!.scrollWidth <= Math.ceil(badge.width) };
        }),
      );
      expect(gaps.map((g) => g.text)).toContain('errored');
      for (const g of gaps) {
        expect(g.gap, g.text!).toBeGreaterThanOrEqual(4);
        expect(g.inside, g.text!).toBe(true);
      }
    } finally {
      await browser.close();
      dir.remove();
    }
  });
});
