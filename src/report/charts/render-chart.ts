import type { Chart } from '../../results/charts.js';
import { barsSvg } from './bars.js';
import { boundarySvg } from './boundary.js';
import { bucketsSvg } from './buckets.js';
import { latencySvg } from './latency.js';
import { refillSvg } from './refill.js';
import { seriesSvg } from './series.js';
import { timelineSvg } from './timeline.js';

/** Inline SVG for one chart. Pure: data in, markup out; every text goes through XML escaping. */
export function renderChart(chart: Chart): string {
  switch (chart.type) {
    case 'timeline':
      return timelineSvg(chart);
    case 'latency':
      return latencySvg(chart);
    case 'refill':
      return refillSvg(chart);
    case 'boundary':
      return boundarySvg(chart);
    case 'bars':
      return barsSvg(chart);
    case 'series':
      return seriesSvg(chart);
    case 'buckets':
      return bucketsSvg(chart);
  }
}
