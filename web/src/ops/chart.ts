/** Events persisted per second and CCU over the last minutes (uPlot, two y axes). */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { OpsHistoryPoint as HistoryPoint } from '../../../clients/ts/src/ops.js';

export class HistoryChart {
  private plot: uPlot | null = null;
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(private readonly root: HTMLElement) {
    this.resize.observe(root);
  }

  update(points: HistoryPoint[]): void {
    const data: uPlot.AlignedData = [points.map((p) => p.t), points.map((p) => p.eventsPerSec), points.map((p) => p.ccu)];
    if (!this.plot) this.plot = this.create(data);
    else this.plot.setData(data);
  }

  private create(data: uPlot.AlignedData): uPlot {
    const axis = { stroke: '#908caa', grid: { stroke: '#2e2b4a', width: 1 }, ticks: { stroke: '#2e2b4a', width: 1 } };
    return new uPlot(
      {
        width: this.root.clientWidth || 600,
        height: 260,
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true },
          events: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] },
          ccu: { auto: true, range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.15))] },
        },
        series: [
          {},
          { label: 'events/s', scale: 'events', stroke: '#ff6b35', width: 2, fill: '#ff6b3522', spanGaps: true },
          { label: 'CCU', scale: 'ccu', stroke: '#9ccfd8', width: 2 },
        ],
        axes: [
          {
            ...axis,
            space: 70,
            // Whole seconds and minutes only: the history is sampled once per second.
            incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900],
            values: (_u, splits) => splits.map((s) => new Date(s * 1000).toLocaleTimeString('en-GB', { hour12: false })),
          },
          { ...axis, scale: 'events', label: 'events/s', labelSize: 18, size: 50 },
          { ...axis, scale: 'ccu', side: 1, label: 'CCU', labelSize: 18, size: 50, grid: { show: false } },
        ],
      },
      data,
      this.root,
    );
  }

  private fit(): void {
    if (this.plot && this.root.clientWidth) this.plot.setSize({ width: this.root.clientWidth, height: 260 });
  }
}
