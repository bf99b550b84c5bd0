import type { RefillChart } from '../../results/charts.js';
import { COLOURS, esc, legend, PALETTE, plotFrame, polyline, scale, svg, withUnit, xLabel, xTicks, yAxis } from './svg.js';

/** Requests admitted after waiting d since exhaustion; a model's expectation dashed beside it. */
export function refillSvg(chart: RefillChart): string {
  const frame = plotFrame();
  const points = [...chart.points].sort((a, b) => a.waitMs - b.waitMs);
  const maxWait = Math.max(1, ...points.map((p) => p.waitMs));
  const max = Math.max(1, chart.limit ?? 0, ...points.map((p) => Math.max(p.admitted, p.expected ?? 0)));
  const x = scale([0, maxWait], [frame.x0, frame.x1]);
  const y = scale([0, max * 1.1], [frame.y0, frame.y1]);
  const measured = points.map((p) => [x(p.waitMs), y(p.admitted)] as [number, number]);
  const expected = points.filter((p) => p.expected !== undefined).map((p) => [x(p.waitMs), y(p.expected!)] as [number, number]);
  const dots = points
    .map((p) => `<circle class="mark" cx="${x(p.waitMs).toFixed(1)}" cy="${y(p.admitted).toFixed(1)}" r="3.5" fill="${PALETTE[0]}"><title>${esc(`after ${p.waitMs} ms: ${p.admitted} admitted`)}</title></circle>`)
    .join('');
  const limit =
    chart.limit === undefined
      ? ''
      : `<line x1="${frame.x0}" x2="${frame.x1}" y1="${y(chart.limit).toFixed(1)}" y2="${y(chart.limit).toFixed(1)}" stroke="${COLOURS.limit}" stroke-dasharray="6 4"/>`;
  return svg(
    'refill',
    chart.title,
    points.length,
    yAxis(frame, max * 1.1, y, 'admitted in the burst') + limit + polyline(measured, PALETTE[0]!) + polyline(expected, PALETTE[1]!, true) + dots +
      xTicks(frame, maxWait, x, withUnit('ms')) + xLabel(frame, 'wait after exhaustion') +
      legend([{ label: 'measured', colour: PALETTE[0]! }, ...(expected.length ? [{ label: 'model', colour: PALETTE[1]!, dashed: true }] : [])]),
  );
}
