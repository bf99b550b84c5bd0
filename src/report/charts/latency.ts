import type { LatencyChart } from '../../results/charts.js';
import { esc, fmt, legend, PALETTE, plotFrame, scale, svg, xLabel, yAxis } from './svg.js';

/**
 * Latency at each percentile as grouped bars, one per response group: percentiles are points of a distribution, not
 * a series over time, so nothing joins them.
 */
export function latencySvg(chart: LatencyChart): string {
  const frame = plotFrame();
  const percentiles = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.p)))].sort((a, b) => a - b);
  const max = Math.max(1, ...chart.series.flatMap((s) => s.points.map((p) => p.ms)));
  const y = scale([0, max * 1.1], [frame.y0, frame.y1]);
  const group = (frame.x1 - frame.x0) / Math.max(1, percentiles.length);
  const barWidth = Math.min(28, (group * 0.7) / Math.max(1, chart.series.length));
  const groupStart = (p: number) => frame.x0 + group * percentiles.indexOf(p) + (group - barWidth * chart.series.length) / 2;
  let marks = 0;
  const bars = chart.series.flatMap((series, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    return series.points.map((pt) => {
      marks++;
      const top = y(pt.ms);
      return `<rect class="mark" x="${(groupStart(pt.p) + i * barWidth).toFixed(1)}" y="${top.toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${Math.max(1, frame.y0 - top).toFixed(1)}" fill="${colour}"><title>${esc(`${series.name} p${pt.p}: ${fmt(pt.ms)} ms`)}</title></rect>`;
    });
  });
  const labels = percentiles
    .map((p) => `<text x="${(frame.x0 + group * (percentiles.indexOf(p) + 0.5)).toFixed(1)}" y="${frame.y0 + 14}" font-size="10" text-anchor="middle" fill="#8c959f">p${p}</text>`)
    .join('');
  return svg(
    'latency',
    chart.title,
    marks,
    yAxis(frame, max * 1.1, y, 'milliseconds') + bars.join('') + labels + xLabel(frame, 'percentile') +
      legend(chart.series.map((s, i) => ({ label: s.name, colour: PALETTE[i % PALETTE.length]! }))),
  );
}
