/**
 * The browser's identity, the way every client authenticates (docs/PROTOCOL.md, "Authentication"):
 * a device secret generated once (32 random bytes, base64url) and kept in localStorage, traded at
 * `POST /api/auth/device` for a short-lived access token and a refresh token. The access token goes
 * to the room as `client.auth.token`; when it is about to expire, `POST /api/auth/refresh` rotates it.
 */

const SECRET_KEY = 'ds.play.deviceSecret';
const TOKENS_KEY = 'ds.play.tokens';
/** Refresh a little before expiry, so a token never dies between this check and the join. */
const EXPIRY_MARGIN_MS = 30_000;

interface Tokens {
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface TokenAnswer {
  userId: string;
  accessToken: string;
  refreshToken: string;
  expiresInSec: number;
}

/** 32 random bytes as base64url (43 characters): the device secret rule's minimum. */
function newDeviceSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class DeviceAuth {
  constructor(
    private readonly deviceModel = 'web',
    private readonly baseUrl = '',
  ) {}

  /** A valid access token: the stored one, else a refreshed one, else a fresh sign-in with the device secret. */
  async accessToken(): Promise<string> {
    const saved = this.load();
    if (saved && saved.expiresAt - Date.now() > EXPIRY_MARGIN_MS) return saved.accessToken;
    if (saved) {
      const refreshed = await this.post('/api/auth/refresh', { refreshToken: saved.refreshToken });
      if (refreshed) return this.save(refreshed);
    }
    const signedIn = await this.post('/api/auth/device', { deviceSecret: this.secret(), deviceModel: this.deviceModel });
    if (!signedIn) throw new Error('could not sign in this device (POST /api/auth/device failed)');
    return this.save(signedIn);
  }

  /** Forgets the access token (the server refused it): the next {@link accessToken} refreshes or signs in again. */
  invalidate(): void {
    const saved = this.load();
    if (saved) localStorage.setItem(TOKENS_KEY, JSON.stringify({ ...saved, expiresAt: 0 }));
  }

  private secret(): string {
    let secret = localStorage.getItem(SECRET_KEY);
    if (!secret) localStorage.setItem(SECRET_KEY, (secret = newDeviceSecret()));
    return secret;
  }

  private load(): Tokens | null {
    try {
      const saved = JSON.parse(localStorage.getItem(TOKENS_KEY) ?? 'null') as Tokens | null;
      return saved && typeof saved.accessToken === 'string' && typeof saved.refreshToken === 'string' ? saved : null;
    } catch {
      return null;
    }
  }

  private save(answer: TokenAnswer): string {
    const tokens: Tokens = { userId: answer.userId, accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresAt: Date.now() + answer.expiresInSec * 1000 };
    localStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
    return tokens.accessToken;
  }

  /** The answer of a 2xx, or null (a refused refresh token falls back to signing in with the secret). */
  private async post(path: string, body: unknown): Promise<TokenAnswer | null> {
    const res = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.ok ? ((await res.json()) as TokenAnswer) : null;
  }
}
