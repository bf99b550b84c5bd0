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

/** The text elements of an SVG, with their position, anchor and content. */
function texts(svg: string) {
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map(([, attrs, text]) => ({
    x: Number(/ x="([-\d.]+)"/.exec(attrs!)![1]),
    y: Number(/ y="([-\d.]+)"/.exec(attrs!)![1]),
    anchor: / text-anchor="(\w+)"/.exec(attrs!)?.[1] ?? 'start',
    cls: / class="(\w+)"/.exec(attrs!)?.[1],
    text: text!,
  }));
}

/** Where a 10px label spans horizontally, as the chart places it. */
function span(label: { x: number; anchor: string; text: string }): [number, number] {
  const width = label.text.length * 6;
  if (label.anchor === 'end') return [label.x - width, label.x];
  if (label.anchor === 'middle') return [label.x - width / 2, label.x + width / 2];
  return [label.x, label.x + width];
}

const rects = (svg: string) =>
  [...svg.matchAll(/<rect class="mark" x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)" fill="([^"]+)"/g)].map(([, x, y, w, h, fill]) => ({ x: Number(x), y: Number(y), width: Number(w), height: Number(h), fill }));

describe('chart layout', () => {
  it('keeps every x tick label inside the chart, the last one (1000ms) included', () => {
    const svg = renderChart({ type: 'refill', title: 'refill', limit: 10, points: [{ waitMs: 0, admitted: 0 }, { waitMs: 1000, admitted: 10 }] });
    const ticks = texts(svg).filter((t) => t.text.endsWith('ms'));
    expect(ticks.map((t) => t.text)).toContain('1000ms');
    for (const tick of ticks) {
      const [left, right] = span(tick);
      expect(left, tick.text).toBeGreaterThanOrEqual(0);
      expect(right, tick.text).toBeLessThanOrEqual(680);
    }
  });

  it('labels each axis in one format (same decimals, same unit), as on the fingerprint chart', () => {
    const points = [0, 0.1, 0.45, 0.9, 1.3].map((x, i) => ({ x, y: i * 3 }));
    const svg = renderChart({ type: 'series', title: 'fingerprint', xLabel: 's', yLabel: 'admitted', series: [{ name: 'target', points }] });
    const below = texts(svg).filter((t) => t.y === 218 && /^[\d.]+$/.test(t.text));
    const decimals = new Set(below.map((t) => (t.text.split('.')[1] ?? '').length));
    expect(below.length).toBeGreaterThan(3);
    expect([...decimals]).toHaveLength(1);
    const big = renderChart({ type: 'series', title: 'big', xLabel: 's', yLabel: 'n', series: [{ name: 'a', points: [{ x: 0, y: 0 }, { x: 1, y: 18000 }] }] });
    const yLabels = texts(big).filter((t) => t.anchor === 'end' && t.x < 60).map((t) => t.text);
    expect(yLabels.every((t) => t.endsWith('k'))).toBe(true);
  });

  it('writes the boundary note where the boundary line is not, wherever the boundary falls', () => {
    for (const boundaryAtMs of [5, 500, 990]) {
      const arrivals = Array.from({ length: 20 }, (_, i) => ({ atMs: i * 50, admitted: i % 3 !== 0 }));
      const svg = renderChart({ type: 'boundary', title: 'boundary', windowMs: 1000, limit: 10, boundaryAtMs, arrivals });
      const line = /<line class="boundary" x1="([\d.]+)" x2="[\d.]+" y1="([\d.]+)" y2="([\d.]+)"/.exec(svg)!;
      const [x, top] = [Number(line[1]), Number(line[2])];
      const note = texts(svg).find((t) => t.cls === 'note')!;
      const [left, right] = span(note);
      // The note's text (10px tall, above its baseline) ends above the line's top, or beside the line.
      expect(note.y <= top - 2 || x < left || x > right, `boundary at ${boundaryAtMs}`).toBe(true);
    }
  });

  it('shows admitted traffic beside a flood of refusals: its own panel, its own scale', () => {
    const svg = renderChart({ type: 'timeline', title: 'flood', bucketMs: 100, admitted: [10, 10, 10], refused: [5000, 8000, 9000], errors: [0, 0, 0], limitPerBucket: 10 });
    const admitted = rects(svg).filter((r) => r.fill === '#2da44e');
    const refused = rects(svg).filter((r) => r.fill === '#d4a72c');
    expect(admitted).toHaveLength(3);
    for (const bar of admitted) expect(bar.height).toBeGreaterThan(40);
    // The panels do not overlap: every admitted bar sits above every refusal bar.
    expect(Math.max(...admitted.map((r) => r.y + r.height))).toBeLessThan(Math.min(...refused.map((r) => r.y)));
  });

  it('draws latency percentiles as bars, not as a line joining them', () => {
    const svg = renderChart(charts[1]!);
    expect(svg).not.toContain('<path');
    expect(svg).not.toContain('<polyline');
    expect(rects(svg)).toHaveLength(3);
  });
});
