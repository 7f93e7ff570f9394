/**
 * A mouse flick at 60 Hz whatever the machine's load. Playwright's `mouse.move` waits for the page to take
 * each event, so on a loaded two-core box its moves land 60–150 ms apart and the page (which measures the
 * release speed over the last 100 ms, as a phone does) reads a drag that stopped. Chromium keeps the
 * timestamp an input event is dispatched with (`Input.dispatchMouseEvent`'s `timestamp`), so here every
 * event says when a real 60 Hz mouse would have sent it, and the page's gesture code sees the flick it is for.
 */
import type { Page } from 'playwright-core';

export interface FlickPath {
  x: number;
  y: number;
  /** Horizontal travel in px per move (negative: leftwards). */
  stepPx: number;
  steps: number;
  /** Between two events, in the events' own timestamps. */
  stepMs?: number;
  /** Called after each move (1-based), e.g. to read what the page previews mid-drag. */
  afterMove?: (i: number) => Promise<void>;
}

export async function flick(page: Page, path: FlickPath): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const stepSec = (path.stepMs ?? 16) / 1000;
  const t0 = Date.now() / 1000;
  const send = (type: 'mouseMoved' | 'mousePressed' | 'mouseReleased', i: number, buttons: number) =>
    cdp.send('Input.dispatchMouseEvent', {
      type,
      x: path.x + Math.min(i, path.steps) * path.stepPx,
      y: path.y,
      button: 'left',
      buttons,
      clickCount: 1,
      timestamp: t0 + i * stepSec,
    });
  try {
    await send('mouseMoved', 0, 0);
    await send('mousePressed', 0, 1);
    for (let i = 1; i <= path.steps; i++) {
      await send('mouseMoved', i, 1);
      await path.afterMove?.(i);
    }
    await send('mouseReleased', path.steps + 1, 0);
  } finally {
    await cdp.detach();
  }
}
