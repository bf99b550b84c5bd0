import { describe, expect, it } from 'vitest';
import type { Chart } from '../../src/results/charts.js';
import { renderChart } from '../../src/report/charts/render-chart.js';

const HOSTILE = '<script>alert(1)</script>"&';

const charts: Chart[] = [
  { type: 'timeline', title: `load ${HOSTILE}`, bucketMs: 100, admitted: [5, 6, 0, 4], refused: [0, 2, 3, 0], errors: [0, 0, 1, 0], limitPerBucket: 5 },
  { type: 'latency', title: 'latency', series: [{ name: 'admitted', points: [{ p: 50, ms: 1.2 }, { p: 99, ms: 7 }] }, { name: HOSTILE, points: [{ p: 50, ms: 0.5 }] }] },
  { type: 'refill', title: 'refill', limit: 10, points: [{ waitMs: 0, admitted: 0, expected: 0 }, { waitMs: 500, admitted: 5, expected: 5 }, { waitMs: 1000, admitted: 10 }] },
  { type: 'boundary', title: 'boundary', windowMs: 1000, limit: 10, boundaryAtMs: 50, arrivals: [{ atMs: 0, admitted: true }, { atMs: 40, admitted: true }, { atMs: 60, admitted: false }] },
  { type: 'bars', title: 'throughput', unit: 'decisions/s', bars: [{ label: HOSTILE, value: 1e6, group: 'memory' }, { label: 'b', value: 3e5, group: 'redis' }] },
  { type: 'series', title: 'admitted', xLabel: 's', yLabel: 'n', series: [{ name: 'gcra', points: [{ x: 0, y: 1 }, { x: 1, y: 3 }] }], reference: { label: 'limit', y: 2 } },
  { type: 'buckets', title: 'per bucket', series: [{ name: HOSTILE, counts: [0, 5, 10] }, { name: 'ideal', counts: [1, 1, 1] }], startMs: 500, bucketMs: 500, guidesMs: [1000] },
];

describe('SVG charts', () => {
  it.each(charts.map((c) => [c.type, c] as const))('%s renders marks for its data', (_type, chart) => {
    const svg = renderChart(chart);
    expect(svg.startsWith('<svg class="chart"')).toBe(true);
    expect(svg).toContain(`data-chart-type="${chart.type}"`);
    expect(Number(/data-marks="(\d+)"/.exec(svg)![1])).toBeGreaterThan(0);
    expect(svg).not.toContain('style=');
  });

  it('counts exactly the marks it draws (timeline: one per non-empty stacked segment)', () => {
    const svg = renderChart(charts[0]!);
    expect(/data-marks="(\d+)"/.exec(svg)![1]).toBe('6');
    expect(svg.match(/<rect /g)!.length).toBeGreaterThanOrEqual(6);
  });

  it('draws a column per non-empty bucket and the window guides (buckets)', () => {
    const svg = renderChart(charts[6]!);
    expect(/data-marks="(\d+)"/.exec(svg)![1]).toBe('5');
    expect(svg).toContain('stroke-dasharray="4 3"');
  });

  it('escapes every text it is given', () => {
    for (const chart of charts) {
      const svg = renderChart(chart);
      expect(svg).not.toContain('<script>');
    }
    expect(renderChart(charts[0]!)).toContain('&lt;script&gt;');
  });
});
