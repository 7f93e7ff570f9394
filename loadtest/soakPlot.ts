/**
 * A soak's samples as a picture: three panels over minutes — RSS per process, heap after GC per
 * process, Redis keys and channel subscriptions — with the steady phase shaded, so a leak (a line that
 * climbs through the steady phase) is seen at a glance. `npm run soak:plot -- <soak.json> <out.png>`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { SoakSample } from './soakProbe.js';

export interface PlotSeries {
  name: string;
  colour: string;
  points: Array<[number, number]>;
}

const WIDTH = 1200;
const PANEL_HEIGHT = 230;
const MARGIN = { left: 70, right: 190, top: 48, bottom: 36 };
const COLOURS = ['#ff6b35', '#3e8fb0', '#a6e3a1', '#c4a7e7'];

/** Per-process series of one field, in minutes. */
function perProcess(samples: readonly SoakSample[], field: 'rssMb' | 'heapAfterGcMb'): PlotSeries[] {
  const count = Math.max(0, ...samples.map((s) => s.processes.length));
  return Array.from({ length: count }, (_, p) => ({
    name: `process ${p + 1}`,
    colour: COLOURS[p % COLOURS.length],
    points: samples.flatMap((s): Array<[number, number]> => {
      const v = s.processes[p]?.[field];
      return v == null ? [] : [[s.t / 60, v]];
    }),
  }));
}

function field(samples: readonly SoakSample[], name: string, colour: string, pick: (s: SoakSample) => number | null): PlotSeries {
  return { name, colour, points: samples.flatMap((s): Array<[number, number]> => (pick(s) == null ? [] : [[s.t / 60, pick(s)!]])) };
}

/** One panel: axes with ticks, the steady window shaded, a polyline per series, a legend on the right. */
function panel(title: string, unit: string, series: readonly PlotSeries[], top: number, xMax: number, steady: [number, number] | null): string {
  const values = series.flatMap((s) => s.points.map((p) => p[1]));
  const yMax = niceCeil(Math.max(1, ...values) * 1.1);
  const w = WIDTH - MARGIN.left - MARGIN.right;
  const h = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (m: number) => MARGIN.left + (m / xMax) * w;
  const y = (v: number) => top + MARGIN.top + h - (v / yMax) * h;
  const out: string[] = [`<text x="${MARGIN.left}" y="${top + 28}" font-size="17" font-weight="bold" fill="#e0def4">${title}</text>`];
  if (steady) out.push(`<rect x="${x(steady[0])}" y="${y(yMax)}" width="${x(steady[1]) - x(steady[0])}" height="${h}" fill="#ffffff" fill-opacity="0.05"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${y(v)}" y2="${y(v)}" stroke="#ffffff" stroke-opacity="0.08"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(v) + 4}" text-anchor="end" font-size="12" fill="#908caa">${round(v)}</text>`,
    );
  }
  const step = xMax > 20 ? 5 : xMax > 6 ? 2 : 1;
  for (let m = 0; m <= xMax; m += step)
    out.push(`<text x="${x(m)}" y="${top + MARGIN.top + h + 18}" text-anchor="middle" font-size="12" fill="#908caa">${m}</text>`);
  out.push(
    `<text x="${MARGIN.left + w}" y="${top + MARGIN.top + h + 32}" text-anchor="end" font-size="12" fill="#908caa">minutes</text>`,
    `<text x="16" y="${top + MARGIN.top + h / 2}" font-size="12" fill="#908caa" transform="rotate(-90 16 ${top + MARGIN.top + h / 2})" text-anchor="middle">${unit}</text>`,
  );
  series.forEach((s, i) => {
    if (s.points.length)
      out.push(
        `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${s.points.map(([m, v]) => `${x(m).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
      );
    out.push(
      `<rect x="${WIDTH - MARGIN.right + 20}" y="${top + MARGIN.top + i * 22}" width="14" height="4" fill="${s.colour}"/><text x="${WIDTH - MARGIN.right + 40}" y="${top + MARGIN.top + i * 22 + 6}" font-size="13" fill="#e0def4">${s.name}</text>`,
    );
  });
  return out.join('\n');
}

const round = (v: number) => (v >= 100 ? Math.round(v) : Math.round(v * 10) / 10);

/** 1, 2 or 5 × a power of ten, at least `v`. */
export function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((k) => k * p >= v) ?? 10) * p;
}

export function soakPlotSvg(label: string, samples: readonly SoakSample[]): string {
  const xMax = Math.max(1, Math.ceil(Math.max(...samples.map((s) => s.t)) / 60));
  const steadyTimes = samples.filter((s) => s.phase === 'steady').map((s) => s.t / 60);
  const steady: [number, number] | null = steadyTimes.length ? [Math.min(...steadyTimes), Math.max(...steadyTimes)] : null;
  const panels = [
    panel('RSS per process', 'MB', perProcess(samples, 'rssMb'), 40, xMax, steady),
    panel('Heap after GC per process', 'MB', perProcess(samples, 'heapAfterGcMb'), 40 + PANEL_HEIGHT, xMax, steady),
    panel(
      'Redis keys, channel subscriptions; listeners',
      'count',
      [
        field(samples, 'Redis keys', COLOURS[0], (s) => s.redisKeys),
        field(samples, 'subscriptions', COLOURS[1], (s) => s.redisChannels),
        field(samples, 'listeners', COLOURS[2], (s) => s.population),
      ],
      40 + 2 * PANEL_HEIGHT,
      xMax,
      steady,
    ),
  ];
  const height = 40 + 3 * PANEL_HEIGHT + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="DejaVu Sans, sans-serif">
<rect width="${WIDTH}" height="${height}" fill="#14121f"/>
<text x="${MARGIN.left}" y="28" font-size="20" font-weight="bold" fill="#fff4e0">${label.replace(/[&<>]/g, '')} — shaded: the steady phase the verdict compares</text>
${panels.join('\n')}
</svg>`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write('usage: npm run soak:plot -- <soak.json> <out.png>\n');
    process.exit(2);
  }
  const result = JSON.parse(await fs.readFile(input, 'utf8')) as { label: string; startedAt: string; samples: SoakSample[] };
  await sharp(Buffer.from(soakPlotSvg(`${result.label}, ${result.startedAt.slice(0, 16)} UTC`, result.samples)))
    .png({ palette: true })
    .toFile(output);
  process.stdout.write(`${output}\n`);
}
