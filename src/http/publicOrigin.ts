/**
 * The address the caller used, for links read away from this server (a report's QR code, a share's
 * og:url and og:image): behind the entry its Host and X-Forwarded-Proto, not the socket's (the router's
 * own request URL says "localhost" without the port). A Host that is not a plain host[:port] is ignored.
 */
export function publicOrigin(request: { headers: Headers }): string {
  const host = request.headers.get('host');
  const https = request.headers.get('x-forwarded-proto') === 'https';
  return host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `${https ? 'https' : 'http'}://${host}` : 'http://localhost';
}
