/** The websocket endpoint of the server that served this page (same host, ws or wss). */
export function serverEndpoint(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}
