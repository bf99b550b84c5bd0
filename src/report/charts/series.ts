import type { SeriesChart } from '../../results/charts.js';
import { COLOURS, esc, legend, PALETTE, plotFrame, polyline, scale, svg, xLabel, xTicks, yAxis } from './svg.js';

/** Several lines over a shared x axis, with an optional horizontal reference (a limit). */
export function seriesSvg(chart: SeriesChart): string {
  const frame = plotFrame();
  const all = chart.series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p.x));
  const maxY = Math.max(1, chart.reference?.y ?? 0, ...all.map((p) => p.y)) * 1.1;
  const x = scale([0, maxX], [frame.x0, frame.x1]);
  const y = scale([0, maxY], [frame.y0, frame.y1]);
  // The first series is drawn wide and faint, so a line that follows it exactly (a model) still shows it.
  const lines = chart.series.map((s, i) => polyline(s.points.map((p) => [x(p.x), y(p.y)] as [number, number]), PALETTE[i % PALETTE.length]!, false, i === 0 ? 6 : 2));
  const reference = chart.reference
    ? `<line x1="${frame.x0}" x2="${frame.x1}" y1="${y(chart.reference.y).toFixed(1)}" y2="${y(chart.reference.y).toFixed(1)}" stroke="${COLOURS.limit}" stroke-dasharray="6 4"><title>${esc(chart.reference.label)}</title></line>`
    : '';
  return svg(
    'series',
    chart.title,
    all.length,
    yAxis(frame, maxY, y, chart.yLabel) + reference + lines.join('') + xTicks(frame, maxX, x) + xLabel(frame, chart.xLabel) +
      legend(chart.series.slice(0, 6).map((s, i) => ({ label: s.name, colour: PALETTE[i % PALETTE.length]! }))),
  );
}
