/**
 * The report page's "Share & export" card: a QR code of
 * the share link (drawn on a canvas by `qrcode`, so a phone opens the report from a screen or a print),
 * the link itself, and the PDF download (server-side: GET …/<id>.pdf).
 */
import QRCode from 'qrcode';
import { el } from '../shared/dom.js';
import type { ReportResponse } from './render.js';

/** Where the report's PDF is, for this viewer: the share-link route for a link holder, the admin route for an operator. */
function pdfPath(r: ReportResponse, share: string | null): string {
  return share ? `/api/reports/shared/${encodeURIComponent(share)}.pdf` : `/api/reports/${encodeURIComponent(r.id)}.pdf`;
}

/** The share link as a full address, or null when this viewer cannot know it. */
export function shareUrlOf(r: ReportResponse, share: string | null): string | null {
  if (share) return new URL(`/coliseum/reports/${r.id}?share=${encodeURIComponent(share)}`, location.origin).toString();
  return r.share.url ? new URL(r.share.url, location.origin).toString() : null;
}

export function shareCard(r: ReportResponse, share: string | null, adminToken: string | null): HTMLElement {
  const url = shareUrlOf(r, share);
  const download = el('button', { type: 'button', id: 'report-pdf', class: 'primary' }, 'Download PDF');
  const status = el('span', { class: 'muted small', role: 'status', id: 'report-pdf-status' });
  download.addEventListener('click', () => void downloadPdf(r, share, adminToken, status));
  const canvas = el('canvas', { id: 'report-qr', width: 200, height: 200, 'aria-label': url ? `QR code of ${url}` : 'no share link' });
  if (url) void QRCode.toCanvas(canvas, url, { width: 200, margin: 2, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
  const expires = r.share.expiresAt ? `valid until ${r.share.expiresAt.replace('T', ' ').slice(0, 16)} UTC` : '';
  return el(
    'section',
    { class: 'card', id: 'share' },
    el('h2', {}, 'Share & export'),
    el(
      'div',
      { class: 'share-row' },
      url ? canvas : el('p', { class: 'muted' }, 'This report has no share link.'),
      el(
        'div',
        { class: 'share-text' },
        url ? el('a', { href: url, id: 'report-share-url' }, url) : null,
        el('div', { class: 'muted small' }, expires),
        el('div', { class: 'share-actions' }, download, status),
      ),
    ),
  );
}

/** Fetches the PDF (an operator's request carries the Bearer token a plain link cannot) and saves it. */
async function downloadPdf(r: ReportResponse, share: string | null, adminToken: string | null, status: HTMLElement): Promise<void> {
  status.textContent = 'preparing the PDF…';
  try {
    const res = await fetch(pdfPath(r, share), { headers: !share && adminToken ? { authorization: `Bearer ${adminToken}` } : {}, cache: 'no-store' });
    if (!res.ok) throw new Error(res.status === 410 ? 'this report link has expired' : `the PDF could not be made (HTTP ${res.status})`);
    const href = URL.createObjectURL(await res.blob());
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `coliseum-report-${r.id}.pdf`;
    const a = el('a', { href, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
    status.textContent = 'PDF downloaded';
  } catch (err) {
    status.textContent = (err as Error).message;
  }
}
