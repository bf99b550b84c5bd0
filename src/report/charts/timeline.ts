import type { TimelineChart } from '../../results/charts.js';
import { COLOURS, legend, plotFrame, scale, svg, xLabel, xTicks, yAxis } from './svg.js';

/** Stacked bars per time bucket (admitted, refused, errors) with the declared limit as a dashed line. */
export function timelineSvg(chart: TimelineChart): string {
  const buckets = Math.max(chart.admitted.length, chart.refused.length, chart.errors.length);
  const frame = plotFrame();
  const totals = Array.from({ length: buckets }, (_, i) => (chart.admitted[i] ?? 0) + (chart.refused[i] ?? 0) + (chart.errors[i] ?? 0));
  const max = Math.max(1, ...totals, chart.limitPerBucket ?? 0);
  const y = scale([0, max], [frame.y0, frame.y1]);
  const x = scale([0, Math.max(1, buckets)], [frame.x0, frame.x1]);
  const barWidth = Math.max(1, (frame.x1 - frame.x0) / Math.max(1, buckets) - 1);
  const bars: string[] = [];
  let marks = 0;
  for (let i = 0; i < buckets; i++) {
    let base = 0;
    for (const [values, colour] of [
      [chart.admitted, COLOURS.admitted],
      [chart.refused, COLOURS.refused],
      [chart.errors, COLOURS.errors],
    ] as const) {
      const v = values[i] ?? 0;
      if (v <= 0) continue;
      bars.push(`<rect class="mark" x="${x(i).toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${colour}"/>`);
      base += v;
      marks++;
    }
  }
  const limit =
    chart.limitPerBucket === undefined
      ? ''
      : `<line x1="${frame.x0}" x2="${frame.x1}" y1="${y(chart.limitPerBucket).toFixed(1)}" y2="${y(chart.limitPerBucket).toFixed(1)}" stroke="${COLOURS.limit}" stroke-width="2" stroke-dasharray="6 4"/>`;
  const seconds = (buckets * chart.bucketMs) / 1000;
  const xs = scale([0, seconds], [frame.x0, frame.x1]);
  return svg(
    'timeline',
    chart.title,
    marks,
    yAxis(frame, max, y, `responses per ${chart.bucketMs} ms`) +
      bars.join('') +
      limit +
      xTicks(frame, seconds, xs, (t) => `${t}s`) +
      xLabel(frame, 'time since start') +
      legend([
        { label: 'admitted', colour: COLOURS.admitted },
        { label: 'refused', colour: COLOURS.refused },
        { label: 'errors', colour: COLOURS.errors },
        ...(chart.limitPerBucket === undefined ? [] : [{ label: 'limit', colour: COLOURS.limit, dashed: true }]),
      ]),
  );
}
