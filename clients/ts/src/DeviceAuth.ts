/**
 * A device's identity, the way every client authenticates (docs/PROTOCOL.md "Authentication"): a device
 * secret generated once (32 random bytes, base64url) and kept in storage, traded at `POST /api/auth/device`
 * for a short-lived access token and a refresh token; `POST /api/auth/refresh` rotates them shortly
 * before expiry, and a refused refresh token falls back to signing in with the secret again.
 * Give it to {@link SessionClient} as its AccessTokenSource; on a 401 from an HTTP call or a join refused
 * for the token (401 at matchmaking, 4401 at the WebSocket join) call `invalidate()` and ask again.
 */
import type { AccessTokenSource, TokenStore } from './SessionClient.js';
import type { SignedIn } from './messages.js';

export interface DeviceAuthOptions {
  /** The server's HTTP origin, e.g. `https://realtime.example.com`; '' = the page's own origin. */
  baseUrl?: string;
  /** Shown to operators (`deviceModel`), e.g. `web` or `iPhone15,3`. */
  deviceModel?: string;
  /** Where the secret and tokens are kept: localStorage in a browser, memory elsewhere unless given. */
  storage?: TokenStore;
  /** Storage key prefix (two keys: `<prefix>.deviceSecret`, `<prefix>.tokens`). */
  storagePrefix?: string;
  /** Refresh this long before expiry, so a token never dies between the check and its use. Default 30 s. */
  expiryMarginMs?: number;
  fetch?: typeof fetch;
}

interface SavedTokens {
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** 32 random bytes as base64url (43 characters): the device secret rule's minimum. */
export function newDeviceSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function defaultStorage(): TokenStore {
  const local = (globalThis as { localStorage?: TokenStore }).localStorage;
  if (local) return local;
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

export class DeviceAuth implements AccessTokenSource {
  private readonly baseUrl: string;
  private readonly deviceModel: string;
  private readonly storage: TokenStore;
  private readonly secretKey: string;
  private readonly tokensKey: string;
  private readonly marginMs: number;
  private readonly fetchImpl: typeof fetch;
  /** One sign-in or refresh at a time: concurrent callers share it. */
  private inFlight: Promise<string> | null = null;

  constructor(options: DeviceAuthOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.deviceModel = options.deviceModel ?? 'web';
    this.storage = options.storage ?? defaultStorage();
    const prefix = options.storagePrefix ?? 'ds';
    this.secretKey = `${prefix}.deviceSecret`;
    this.tokensKey = `${prefix}.tokens`;
    this.marginMs = options.expiryMarginMs ?? 30_000;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The signed-in user's id, once signed in. */
  get userId(): string | null {
    return this.load()?.userId ?? null;
  }

  /** A valid access token: the stored one, else a refreshed one, else a fresh sign-in with the device secret. */
  accessToken(): Promise<string> {
    const saved = this.load();
    if (saved && saved.expiresAt - Date.now() > this.marginMs) return Promise.resolve(saved.accessToken);
    this.inFlight ??= this.renew(saved).finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** The stored access token as it is (no refresh, no sign-in), or null: for a call right after one that used it. */
  currentToken(): string | null {
    return this.load()?.accessToken ?? null;
  }

  /** Forgets the access token (the server refused it): the next {@link accessToken} refreshes or signs in again. */
  invalidate(): void {
    const saved = this.load();
    if (saved) this.storage.setItem(this.tokensKey, JSON.stringify({ ...saved, expiresAt: 0 }));
  }

  /** Forgets the tokens and the device secret: the next sign-in is a new user. */
  forget(): void {
    this.storage.removeItem(this.tokensKey);
    this.storage.removeItem(this.secretKey);
  }

  private async renew(saved: SavedTokens | null): Promise<string> {
    if (saved) {
      const refreshed = await this.post('/api/auth/refresh', { refreshToken: saved.refreshToken });
      if (refreshed) return this.save(refreshed);
    }
    const signedIn = await this.post('/api/auth/device', { deviceSecret: this.secret(), deviceModel: this.deviceModel });
    if (!signedIn) throw new Error('could not sign in this device (POST /api/auth/device refused it; see the server answer)');
    return this.save(signedIn);
  }

  private secret(): string {
    let secret = this.storage.getItem(this.secretKey);
    if (!secret) this.storage.setItem(this.secretKey, (secret = newDeviceSecret()));
    return secret;
  }

  private load(): SavedTokens | null {
    try {
      const saved = JSON.parse(this.storage.getItem(this.tokensKey) ?? 'null') as SavedTokens | null;
      return saved && typeof saved.accessToken === 'string' && typeof saved.refreshToken === 'string' ? saved : null;
    } catch {
      return null;
    }
  }

  private save(answer: SignedIn): string {
    const tokens: SavedTokens = { userId: answer.userId, accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresAt: Date.now() + answer.expiresInSec * 1000 };
    this.storage.setItem(this.tokensKey, JSON.stringify(tokens));
    return tokens.accessToken;
  }

  /** The answer of a 2xx; null for a 4xx (a refused refresh token falls back to the secret); throws on 429/5xx. */
  private async post(path: string, body: unknown): Promise<SignedIn | null> {
    const res = await this.fetchImpl(`${this.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.ok) return (await res.json()) as SignedIn;
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = res.headers.get('retry-after');
      throw new Error(`${path} answered ${res.status}${retryAfter ? `; retry after ${retryAfter} s` : ''}`);
    }
    return null;
  }
}
