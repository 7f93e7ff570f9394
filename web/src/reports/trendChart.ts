/**
 * The report's daily trend as a chart people can read without hovering: events per day as bars and
 * unique users as a line, a date axis (UTC days) and labelled count axes (uPlot, as /ops uses).
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface DailyPoint {
  day: string;
  events: number;
  uniqueUsers: number;
}

const HEIGHT = 220;
const axis = { stroke: '#c9c3b5', grid: { stroke: '#ffffff1a', width: 1 }, ticks: { stroke: '#ffffff33', width: 1 } };
const dayLabel = (s: number): string => new Date(s * 1000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const countRange = (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, Math.max(1, Math.ceil(max * 1.15))];

function options(width: number): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    // Half a day either side, so the first and last days' bars are drawn whole.
    scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, n: { auto: true, range: countRange } },
    series: [
      { value: (_u, v) => (v == null ? '' : dayLabel(v)) },
      { label: 'events', scale: 'n', stroke: '#ff6b35', fill: '#ff6b35aa', width: 1, paths: uPlot.paths.bars!({ size: [0.7, 40] }), points: { show: false } },
      { label: 'unique users', scale: 'n', stroke: '#e9c46a', width: 2 },
    ],
    axes: [
      {
        ...axis,
        space: 60,
        incrs: [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 28 * 86_400],
        values: (_u, splits) => splits.map(dayLabel),
        label: 'day (UTC)',
        labelSize: 18,
      },
      {
        ...axis,
        scale: 'n',
        label: 'per day',
        labelSize: 18,
        size: 48,
        values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? v.toLocaleString('en-US') : '')),
      },
    ],
  };
}

/** Mounts the chart into `root` once it has a width, and keeps it fitted to the card. */
export function mountTrendChart(root: HTMLElement, days: readonly DailyPoint[]): void {
  const data: uPlot.AlignedData = [days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000), days.map((d) => d.events), days.map((d) => d.uniqueUsers)];
  let plot: uPlot | null = null;
  new ResizeObserver(() => {
    const width = root.clientWidth;
    if (!width) return;
    if (!plot) plot = new uPlot(options(width), data, root);
    else plot.setSize({ width, height: HEIGHT });
  }).observe(root);
}
