/**
 * The DNA helix of the DIA user page,
 * drawn as SVG: two strands winding round each other, one rung per base of the user's MediaID (A interests,
 * T genre preferences, G content flags, C location) in its colour, then the bases their events added (eventBases), and as many turns as the interactions
 * mirrored into the DNA ("every interaction twists the helix": 1.5 turns for none, one more per tenfold).
 * The geometry is pure (test/unit/web/helix.test.ts); the drawing uses DOM SVG nodes, never markup strings.
 */

export type Base = 'A' | 'T' | 'G' | 'C';
export const BASE_COLOURS: Record<Base, string> = { A: '#ff6b35', T: '#9ccfd8', G: '#ffd700', C: '#a6e3a1' };
export const BASE_NAMES: Record<Base, string> = { A: 'interest', T: 'genre', G: 'content flag', C: 'location' };
/** Rungs drawn at most (a MediaID's inputs are bounded; past this the picture says how many more). */
export const MAX_RUNGS = 48;

export interface Rung {
  x: number;
  /** Ends on the two strands. */
  y1: number;
  y2: number;
  base: Base;
  /** The rung faces the viewer (drawn brighter); the other half turns away. */
  front: boolean;
}

export interface HelixGeometry {
  width: number;
  height: number;
  turns: number;
  /** SVG path data of the two strands. */
  strands: [string, string];
  rungs: Rung[];
  /** Bases left undrawn past {@link MAX_RUNGS}. */
  more: number;
}

const round = (x: number): number => Math.round(x * 10) / 10;

/** Which base a DNA domain's mirrored signals add: the genres heard (cultural) are T, what the listener does A, money G, places C. */
const DOMAIN_BASE: Record<string, Base> = { cultural: 'T', behavioral: 'A', economic: 'G', spatial: 'C' };
/** Rungs per unit of a domain's strength, and at most per domain: a listener's activity shows without drowning the profile. */
const RUNGS_PER_STRENGTH = 0.5;
const MAX_EVENT_RUNGS = 12;

/**
 * The bases the listener's events added to their DNA: per domain with mirrored strength, rungs of that domain's base in
 * proportion to it (at least one). A listener who never filled a profile still has a helix once they have done anything.
 */
export function eventBases(domains: Record<string, { strength: number }>): string {
  return Object.entries(domains)
    .filter(([name, d]) => DOMAIN_BASE[name] && d.strength > 0)
    .map(([name, d]) => DOMAIN_BASE[name].repeat(Math.min(MAX_EVENT_RUNGS, Math.max(1, Math.round(d.strength * RUNGS_PER_STRENGTH)))))
    .join('');
}

/** Turns of the helix for this many mirrored signals: 1.5 with none, +1 per tenfold, at most 6. */
export function turnsFor(signals: number): number {
  return Math.min(6, 1.5 + Math.log10(1 + Math.max(0, signals)));
}

/** The helix for a base sequence (`AATTGC…`) and the signals mirrored so far, in a width × height box. */
export function helixGeometry(sequence: string, signals: number, width: number, height: number): HelixGeometry {
  const bases = [...sequence].filter((c): c is Base => c in BASE_COLOURS);
  const shown = bases.slice(0, MAX_RUNGS);
  const pad = 14;
  const mid = height / 2;
  const amp = height / 2 - 10;
  const turns = turnsFor(signals);
  const span = width - 2 * pad;
  const phase = (t: number) => 2 * Math.PI * turns * t;
  const strand = (sign: 1 | -1): string => {
    const steps = 160;
    const points: string[] = [];
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      points.push(`${i === 0 ? 'M' : 'L'}${round(pad + t * span)} ${round(mid + sign * amp * Math.sin(phase(t)))}`);
    }
    return points.join(' ');
  };
  const rungs = shown.map((base, i): Rung => {
    const t = (i + 0.5) / shown.length;
    const y = amp * Math.sin(phase(t));
    return { x: round(pad + t * span), y1: round(mid + y), y2: round(mid - y), base, front: Math.cos(phase(t)) >= 0 };
  });
  return { width, height, turns: round(turns), strands: [strand(1), strand(-1)], rungs, more: bases.length - shown.length };
}

const SVG = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** The helix as an `<svg>` that scales to its container's width. */
export function helixSvg(sequence: string, signals: number): SVGSVGElement {
  const g = helixGeometry(sequence, signals, 640, 120);
  const root = svg('svg', { viewBox: `0 0 ${g.width} ${g.height}`, role: 'img', class: 'helix', 'data-turns': g.turns, 'data-rungs': g.rungs.length });
  const title = svg('title', {});
  title.textContent = g.rungs.length
    ? `DNA helix: ${g.rungs.length + g.more} bases (${sequence}), ${g.turns} turns from ${signals} mirrored signals`
    : `DNA helix: no bases yet, ${g.turns} turns from ${signals} mirrored signals`;
  root.appendChild(title);
  // Rungs behind first, then the strands, then the rungs that face the viewer.
  const rung = (r: Rung) =>
    svg('line', {
      x1: r.x,
      y1: r.y1,
      x2: r.x,
      y2: r.y2,
      stroke: BASE_COLOURS[r.base],
      'stroke-width': r.front ? 4 : 3,
      'stroke-linecap': 'round',
      opacity: r.front ? 1 : 0.45,
      'data-base': r.base,
    });
  for (const r of g.rungs.filter((x) => !x.front)) root.appendChild(rung(r));
  g.strands.forEach((d, i) =>
    root.appendChild(svg('path', { d, fill: 'none', stroke: i === 0 ? '#e0def4' : '#908caa', 'stroke-width': 2.5, class: 'strand' })),
  );
  for (const r of g.rungs.filter((x) => x.front)) root.appendChild(rung(r));
  if (g.more > 0) {
    const more = svg('text', { x: g.width - 6, y: 12, 'text-anchor': 'end', fill: '#908caa', 'font-size': 11 });
    more.textContent = `+${g.more} more`;
    root.appendChild(more);
  }
  return root;
}
