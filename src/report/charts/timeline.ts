import type { TimelineChart } from '../../results/charts.js';
import { COLOURS, legend, MARGIN, scale, svg, WIDTH, withUnit, xLabel, xTicks, yAxis, type Frame } from './svg.js';

const HEIGHT = 330;
/** Gap between the two panels, room for the lower panel's axis title. */
const GAP = 22;

type Layer = readonly [number[], string];

/** Stacked bars per bucket in one panel, on the panel's own scale; returns the markup and how many bars it drew. */
function panel(frame: Frame, layers: Layer[], buckets: number, extraMax: number, yTitle: string): { markup: string; marks: number; y: (v: number) => number } {
  const totals = Array.from({ length: buckets }, (_, i) => layers.reduce((n, [values]) => n + (values[i] ?? 0), 0));
  const max = Math.max(1, extraMax, ...totals);
  const y = scale([0, max], [frame.y0, frame.y1]);
  const x = scale([0, Math.max(1, buckets)], [frame.x0, frame.x1]);
  const barWidth = Math.max(1, (frame.x1 - frame.x0) / Math.max(1, buckets) - 1);
  const bars: string[] = [];
  for (let i = 0; i < buckets; i++) {
    let base = 0;
    for (const [values, colour] of layers) {
      const v = values[i] ?? 0;
      if (v <= 0) continue;
      bars.push(`<rect class="mark" x="${x(i).toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${colour}"/>`);
      base += v;
    }
  }
  return { markup: yAxis(frame, max, y, yTitle) + bars.join(''), marks: bars.length, y };
}

/**
 * Admitted responses in the upper panel (with the declared limit), refusals and errors in the lower one, each on its
 * own scale: on a flooded target thousands of refusals would otherwise flatten the few admitted into nothing.
 */
export function timelineSvg(chart: TimelineChart): string {
  const buckets = Math.max(chart.admitted.length, chart.refused.length, chart.errors.length);
  const plotHeight = (HEIGHT - MARGIN.top - MARGIN.bottom - GAP) / 2;
  const upper: Frame = { x0: MARGIN.left, x1: WIDTH - MARGIN.right, y1: MARGIN.top, y0: MARGIN.top + plotHeight };
  const lower: Frame = { ...upper, y1: upper.y0 + GAP, y0: upper.y0 + GAP + plotHeight };
  const admitted = panel(upper, [[chart.admitted, COLOURS.admitted]], buckets, chart.limitPerBucket ?? 0, 'admitted');
  const refused = panel(lower, [[chart.refused, COLOURS.refused], [chart.errors, COLOURS.errors]], buckets, 0, 'refused, errors');
  const limit =
    chart.limitPerBucket === undefined
      ? ''
      : `<line x1="${upper.x0}" x2="${upper.x1}" y1="${admitted.y(chart.limitPerBucket).toFixed(1)}" y2="${admitted.y(chart.limitPerBucket).toFixed(1)}" stroke="${COLOURS.limit}" stroke-width="2" stroke-dasharray="6 4"/>`;
  const seconds = (buckets * chart.bucketMs) / 1000;
  const xs = scale([0, seconds], [lower.x0, lower.x1]);
  return svg(
    'timeline',
    chart.title,
    admitted.marks + refused.marks,
    admitted.markup +
      limit +
      refused.markup +
      xTicks(lower, seconds, xs, withUnit('s')) +
      xLabel(lower, `time since start (responses per ${chart.bucketMs} ms)`, HEIGHT) +
      legend([
        { label: 'admitted', colour: COLOURS.admitted },
        { label: 'refused', colour: COLOURS.refused },
        { label: 'errors', colour: COLOURS.errors },
        ...(chart.limitPerBucket === undefined ? [] : [{ label: 'limit', colour: COLOURS.limit, dashed: true }]),
      ]),
    HEIGHT,
  );
}
