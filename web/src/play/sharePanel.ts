/**
 * The share tab of /play: POST /api/constellations/share makes the public link, the
 * page copies it and shows it the way a chat app would preview it (the server renders the same title
 * and description into the share page's Open Graph tags).
 */
import { $ } from '../shared/dom.js';
import { authedFetch, jsonOf } from './api.js';
import type { DeviceAuth } from './auth.js';

interface ShareCreated {
  shareUrl: string;
  expiresAt: string;
  socialMetadata: { ogTitle: string; ogDescription: string };
}

/**
 * The link preview exactly as a chat app builds it: the share page's own og: tags (rendered by the
 * server; reading the page counts no view).
 */
interface LinkPreview {
  title: string;
  description: string;
  image: string | null;
}

async function previewOf(url: string): Promise<LinkPreview | null> {
  const res = await fetch(url);
  if (!res.ok) return null;
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
  const meta = (property: string) => doc.querySelector(`meta[property="${property}"]`)?.getAttribute('content') ?? null;
  const title = meta('og:title');
  return title === null ? null : { title, description: meta('og:description') ?? '', image: meta('og:image') };
}

export class SharePanel {
  constructor(
    private readonly root: HTMLElement,
    private readonly auth: DeviceAuth,
  ) {
    $('#share-create', root).addEventListener('click', () => void this.create());
    $('#share-copy', root).addEventListener('click', () => void this.copy());
  }

  private async create(): Promise<void> {
    const button = $<HTMLButtonElement>('#share-create', this.root);
    const status = $('#share-status', this.root);
    const message = $<HTMLInputElement>('#share-message', this.root).value.trim();
    button.disabled = true;
    status.textContent = 'making your link…';
    try {
      const res = await authedFetch(this.auth, '/api/constellations/share', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ shareType: 'public_link', message: message || null }),
      });
      const share = await jsonOf<ShareCreated>(res);
      this.show(share, await previewOf(new URL(share.shareUrl, location.origin).href).catch(() => null));
      await this.copy();
    } catch (err) {
      status.textContent = (err as Error).message;
    } finally {
      button.disabled = false;
    }
  }

  private show(share: ShareCreated, preview: LinkPreview | null): void {
    const url = new URL(share.shareUrl, location.origin).href;
    $<HTMLInputElement>('#share-url', this.root).value = url;
    const link = $<HTMLAnchorElement>('#share-link', this.root);
    link.href = url;
    $('#share-og-title', this.root).textContent = preview?.title ?? share.socialMetadata.ogTitle;
    $('#share-og-description', this.root).textContent = preview?.description ?? share.socialMetadata.ogDescription;
    const image = $<HTMLImageElement>('#share-og-image', this.root);
    image.hidden = !preview?.image;
    if (preview?.image) image.src = preview.image;
    $('#share-og-site', this.root).textContent = `${location.host} · until ${share.expiresAt.slice(0, 10)}`;
    $('#share-result', this.root).hidden = false;
    this.root.dataset.shareUrl = url;
  }

  /** The clipboard API where the page may use it; else the link is selected for a manual copy. */
  private async copy(): Promise<void> {
    const input = $<HTMLInputElement>('#share-url', this.root);
    const status = $('#share-status', this.root);
    if (!input.value) return;
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = 'link copied';
    } catch {
      input.select();
      status.textContent = document.execCommand('copy') ? 'link copied' : 'select the link to copy it';
    }
  }
}
