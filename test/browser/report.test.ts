import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { chromiumPath, launchChromium, watchPage } from '../helpers/browser.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

describe.skipIf(!chromiumPath)('the HTML report in Chromium', () => {
  let browser: Browser;
  let dir: TempDir;
  beforeAll(async () => {
    browser = await launchChromium();
    dir = tempDir();
  });
  afterAll(async () => {
    await browser?.close();
    dir?.remove();
  });

  async function open(htmlFile: string) {
    const url = pathToFileURL(htmlFile).href;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page, url);
    await page.goto(url, { timeout: 15_000 });
    return { page, watch };
  }

  /** Opens every <details> around an element, as a reader clicking down to it would. */
  async function unfold(element: Locator) {
    await element.evaluate((el) => {
      for (let at = el.parentElement; at; at = at.parentElement) if (at.tagName === 'DETAILS') at.setAttribute('open', '');
    });
  }

  /** Data marks (not legend swatches or axes) are there and laid out with a size inside the chart. */
  async function expectDrawnWithData(chart: Locator) {
    expect(Number(await chart.getAttribute('data-marks'))).toBeGreaterThan(0);
    // A closed <details> lays nothing out: open the check the chart belongs to (and a fold of passed checks around it), as a reader would.
    await unfold(chart);
    const sizes = await chart.locator('.mark').evaluateAll((marks) =>
      marks.map((m) => {
        const box = (m as unknown as { getBBox(): { width: number; height: number } }).getBBox();
        return box.width + box.height;
      }),
    );
    expect(sizes.filter((size) => size > 0).length, 'data marks drawn with a size').toBeGreaterThan(0);
  }

  it("shows the demo's counts, filters its checks, draws its charts, and makes no request and no error", async () => {
    const out = join(dir.path, 'demo');
    const demo = await runCli(['demo', '-o', out, '-r', 'json,html'], { timeoutMs: 120_000 });
    expect(demo.code, demo.stderr).toBe(0);
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const { page, watch } = await open(join(out, 'gauntlet-report.html'));

    for (const status of ['passed', 'failed', 'errored', 'skipped'] as const) {
      expect(await page.locator(`[data-count="${status}"]`).textContent()).toBe(String(run.totals.byStatus[status]));
    }
    expect(await page.locator('[data-count="total"]').textContent()).toBe(String(run.totals.checks));
    for (const [severity, count] of Object.entries(run.totals.findingsBySeverity)) {
      expect(await page.locator(`[data-severity-count="${severity}"]`).textContent(), severity).toBe(String(count));
    }
    expect(await page.locator('#verdict').textContent()).toContain(`exit ${run.verdict.exitCode}`);
    const all = run.scenarios.flatMap((s) => s.checks);
    expect(await page.locator('details.check').count()).toBe(all.length);

    // Filters: hide passed checks, then show only one scenario, then a severity floor.
    await page.locator('input[name=status][value=passed]').uncheck();
    expect(await page.locator('details.check:visible').count()).toBe(all.filter((c) => c.status !== 'passed').length);
    await page.locator('input[name=status][value=passed]').check();
    const scenario = run.scenarios[0]!;
    await page.locator('select[name=scenario]').selectOption(scenario.name);
    expect(await page.locator('details.check:visible').count()).toBe(scenario.checks.length);
    expect(await page.locator('#shown-count').textContent()).toBe(String(scenario.checks.length));
    await page.locator('select[name=scenario]').selectOption('');
    await page.locator('select[name=severity]').selectOption('medium');
    const atLeastMedium = all.filter((c) => ['medium', 'high', 'critical'].includes(c.severity)).length;
    expect(await page.locator('details.check:visible').count()).toBe(atLeastMedium);

    await page.locator('select[name=severity]').selectOption('');

    // The demo's load and rate-limit checks carry charts: each is drawn, with marks for its data.
    const chartsInRun = all.reduce((n, c) => n + (c.evidence.charts?.length ?? 0), 0);
    expect(chartsInRun).toBeGreaterThanOrEqual(5);
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(chartsInRun);
    for (let i = 0; i < chartsInRun; i++) await expectDrawnWithData(charts.nth(i));
    const types = await charts.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-chart-type')));
    for (const type of ['timeline', 'latency', 'boundary', 'refill', 'series']) expect(types).toContain(type);

    // Printing opens every check's details, and closing the print dialog closes again those that were closed.
    const openCount = () => page.locator('details.check[open]').count();
    const before = await openCount();
    expect(before).toBeLessThan(all.length);
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");
    expect(await openCount()).toBe(all.length);
    await page.evaluate("window.dispatchEvent(new Event('afterprint'))");
    expect(await openCount()).toBe(before);

    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'reports', 'report-demo.png'), fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.requests).toEqual([]);
  });

  it('draws every chart kind of a recorded run with its data', async () => {
    const out = join(dir.path, 'charts');
    const cli = await runCli(['report', join(ROOT, 'test/fixtures/runs/charts-run.json'), '-r', 'html', '-o', out]);
    expect(cli.stderr).toContain('wrote');
    const run: RunResult = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/runs/charts-run.json'), 'utf8'));
    const expected = run.scenarios.flatMap((s) => s.checks).flatMap((c) => c.evidence.charts ?? []);
    const { page, watch } = await open(join(out, 'gauntlet-report.html'));
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) {
      const chart = charts.nth(i);
      await unfold(chart);
      await chart.scrollIntoViewIfNeeded();
      expect(await chart.getAttribute('data-chart-type')).toBe(expected[i]!.type);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      await expectDrawnWithData(chart);
    }
    await page.screenshot({ path: join(ROOT, 'reports', 'report-charts.png'), fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.requests).toEqual([]);
  });

  it('groups findings by OWASP category, each linking to its check, and shows every check filing', async () => {
    const recorded: RunResult = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/runs/charts-run.json'), 'utf8'));
    const checks = recorded.scenarios[0]!.checks;
    const wrong = checks.find((c) => c.id === 'ind.wrong')!;
    const filing = (owasp: [string, string, string], cwe: [number, string]) => ({
      owasp: { id: owasp[0], title: owasp[1], url: `https://owasp.org/API-Security/editions/2023/en/${owasp[2]}/` },
      cwe: { id: cwe[0], title: cwe[1], url: `https://cwe.mitre.org/data/definitions/${cwe[0]}.html` },
    });
    wrong.taxonomy = filing(['API1:2023', 'Broken Object Level Authorization', '0xa1-broken-object-level-authorization'], [639, 'Authorization Bypass Through User-Controlled Key']);
    checks.find((c) => c.id === 'ind.user-1')!.taxonomy = filing(['API4:2023', 'Unrestricted Resource Consumption', '0xa4-unrestricted-resource-consumption'], [770, 'Allocation of Resources Without Limits or Throttling']);
    checks.push(
      { ...wrong, id: 'keys.revoked', kind: 'api-key', case: 'revoked', title: 'a revoked key is refused', taxonomy: filing(['API2:2023', 'Broken Authentication', '0xa2-broken-authentication'], [287, 'Improper Authentication']) },
      { ...wrong, id: 'plain.failed', taxonomy: undefined },
    );
    recorded.totals.checks += 2;
    recorded.totals.byStatus.failed += 2;
    const runFile = join(dir.path, 'filed-run.json');
    writeFileSync(runFile, JSON.stringify(recorded));
    const out = join(dir.path, 'filed');
    const cli = await runCli(['report', runFile, '-r', 'html', '-o', out]);
    expect(cli.stderr).toContain('wrote');
    const { page, watch } = await open(join(out, 'gauntlet-report.html'));

    // API1 ... API10 in order, then the failed checks filed nowhere; each failed check listed once, as a link.
    const rows = page.locator('#owasp-groups tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-owasp')))).toEqual(['API1:2023', 'API2:2023', 'API4:2023', 'none']);
    expect(await rows.locator('[data-failed-count]').allTextContents()).toEqual(['1', '1', '0', '1']);
    expect(await page.locator('#owasp-groups a.finding').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(['#check-ind.wrong', '#check-keys.revoked', '#check-plain.failed']);
    expect(await rows.first().locator('a').first().getAttribute('href')).toBe('https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/');

    // Each filed check names its category and CWE, in its summary and, as links, in its body.
    const revoked = page.locator('[id="check-keys.revoked"]');
    expect(await revoked.locator('summary .filed').textContent()).toBe('API2:2023 · CWE-287');
    expect(await revoked.locator('.filing').innerText()).toBe('filed under API2:2023 Broken Authentication · CWE-287 Improper Authentication');
    expect(await revoked.locator('.filing a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
      'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/',
      'https://cwe.mitre.org/data/definitions/287.html',
    ]);
    expect(await page.locator('[id="check-plain.failed"] .filed').count()).toBe(0);

    // A finding's link shows its check even when the filters hide it.
    await page.locator('input[name=status][value=failed]').uncheck();
    expect(await revoked.isVisible()).toBe(false);
    await page.locator('#owasp-groups tr[data-owasp="API2:2023"] a.finding').click();
    expect(await revoked.isVisible()).toBe(true);
    expect(await revoked.getAttribute('open')).not.toBeNull();
    expect(await page.locator('#shown-count').textContent()).toBe(String(checks.length));

    // The category filter shows the checks of one category.
    await page.locator('select[name=owasp]').selectOption('API4:2023');
    expect(await page.locator('details.check:visible').evaluateAll((els) => els.map((el) => el.id))).toEqual(['check-ind.user-1']);
    await page.locator('select[name=owasp]').selectOption('none');
    expect(await page.locator('details.check:visible').count()).toBe(checks.filter((c) => !c.taxonomy).length);

    await page.screenshot({ path: join(ROOT, 'reports', 'report-owasp.png'), fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.requests).toEqual([]);
  });
});
