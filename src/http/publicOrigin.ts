/**
 * The address the caller used, for links read elsewhere (a QR code, og:url): the Host and X-Forwarded-Proto, not the
 * socket's. A Host that is not a plain host[:port] is ignored.
 */
export function publicOrigin(request: { headers: Headers }): string {
  const host = request.headers.get('host');
  const https = request.headers.get('x-forwarded-proto') === 'https';
  return host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `${https ? 'https' : 'http'}://${host}` : 'http://localhost';
}
