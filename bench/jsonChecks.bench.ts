/**
 * The HTTP edge's checks of a parsed JSON body (systems/text.ts), on a clean 200-event passport batch:
 * `findBadText` alone (the rooms' check) against `findJsonProblem` (text, reserved keys and numbers in the same
 * one walk; the per-check walks only when it finds something).
 *   npm run bench:json-checks [-- rounds]
 */
import { findBadText, findJsonProblem } from '../systems/text.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const N = 2000;
const body: unknown = JSON.parse(
  JSON.stringify({
    events: Array.from({ length: 200 }, (_, i) => ({
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      eventType: 'player.like',
      occurredAt: 1_763_900_000_000 + i,
      payload: { trackId: `t${i}`, artistId: 'artist_wizkid', position: { x: 1.5, y: 2, z: 3 }, city: 'Lagos' },
    })),
  }),
);

/** CPU µs per check of the body over N checks. */
function measure(check: () => unknown): number {
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) if (check() !== null) throw new Error('the body is clean: a check found a problem');
  const used = process.cpuUsage(start);
  return (used.user + used.system) / N;
}

const textOnly = () => findBadText(body);
const one = () => findJsonProblem(body);
measure(textOnly); // warm-up
measure(one);
for (let r = 1; r <= ROUNDS; r++) {
  const a = measure(textOnly);
  const b = measure(one);
  process.stdout.write(
    `round ${r}: clean 200-event body, CPU µs per check: text only ${a.toFixed(1)} · all three checks ${b.toFixed(1)} · ${(b / a).toFixed(2)}×\n`,
  );
}
