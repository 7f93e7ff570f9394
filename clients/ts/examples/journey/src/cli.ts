// The journey from a terminal: DEEPSTREAM_URL=http://127.0.0.1:2567 node dist/cli.js (one JSON line per step).
import { playJourney } from './journey.js';

const baseUrl = process.env.DEEPSTREAM_URL ?? 'http://127.0.0.1:2567';
await playJourney({ baseUrl }, (event, detail) => console.log(JSON.stringify({ event, ...detail })));
