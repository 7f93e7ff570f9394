// The journey in a page: index.html loads the bundle of this file (npm run build). BASE_URL: the
// DeepStream server's origin ('' when the page is served from it; otherwise list the page's origin in its CORS_ORIGINS).
import { playJourney } from './journey.js';

const BASE_URL = '';

const log = document.querySelector<HTMLOListElement>('#log')!;
const start = document.querySelector<HTMLButtonElement>('#start')!;

start.addEventListener('click', () => {
  start.disabled = true;
  log.replaceChildren();
  const show = (text: string) => log.append(Object.assign(document.createElement('li'), { textContent: text }));
  playJourney({ baseUrl: BASE_URL }, (event, detail) => show(`${event} ${JSON.stringify(detail)}`))
    .then(() => show('done'))
    .catch((err: Error) => show(`failed: ${err.message}`))
    .finally(() => (start.disabled = false));
});
