import type { LatencyChart } from '../../results/charts.js';
import { esc, fmt, legend, PALETTE, plotFrame, polyline, scale, svg, xLabel, yAxis } from './svg.js';

/** Latency at each percentile, one line per response group. */
export function latencySvg(chart: LatencyChart): string {
  const frame = plotFrame();
  const percentiles = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.p)))].sort((a, b) => a - b);
  const max = Math.max(1, ...chart.series.flatMap((s) => s.points.map((p) => p.ms)));
  const y = scale([0, max * 1.1], [frame.y0, frame.y1]);
  const step = (frame.x1 - frame.x0) / Math.max(1, percentiles.length);
  const xOf = (p: number) => frame.x0 + step * (percentiles.indexOf(p) + 0.5);
  let marks = 0;
  const lines = chart.series.map((series, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const points = series.points.map((pt) => [xOf(pt.p), y(pt.ms)] as [number, number]);
    marks += points.length;
    const dots = series.points
      .map((pt) => `<circle class="mark" cx="${xOf(pt.p).toFixed(1)}" cy="${y(pt.ms).toFixed(1)}" r="3" fill="${colour}"><title>${esc(`${series.name} p${pt.p}: ${fmt(pt.ms)} ms`)}</title></circle>`)
      .join('');
    return polyline(points, colour) + dots;
  });
  const labels = percentiles
    .map((p) => `<text x="${xOf(p).toFixed(1)}" y="${frame.y0 + 14}" font-size="10" text-anchor="middle" fill="#8c959f">p${p}</text>`)
    .join('');
  return svg(
    'latency',
    chart.title,
    marks,
    yAxis(frame, max * 1.1, y, 'milliseconds') + lines.join('') + labels + xLabel(frame, 'percentile') +
      legend(chart.series.map((s, i) => ({ label: s.name, colour: PALETTE[i % PALETTE.length]! }))),
  );
}
