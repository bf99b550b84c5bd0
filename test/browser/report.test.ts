import { mkdirSync, readFileSync } from 'node:fs';
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

  /** Data marks (not legend swatches or axes) are there and laid out with a size inside the chart. */
  async function expectDrawnWithData(chart: Locator) {
    expect(Number(await chart.getAttribute('data-marks'))).toBeGreaterThan(0);
    // A closed <details> lays nothing out: open the check the chart belongs to, as a reader would.
    await chart.evaluate((el) => el.closest('details')?.setAttribute('open', ''));
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
});
