import type { Route } from './route.js';

/**
 * Which route serves a path, as Colyseus's router chose: a literal before a `:name` before a trailing `**`.
 * Case-sensitive; an empty segment matches no parameter, so such paths 404. Parameters come decoded.
 */
export interface RouteTable {
  match(method: string, path: string): { route: Route; params: Record<string, string> } | null;
}

const rank = (segment: string): string => (segment === '**' ? '2' : segment.startsWith(':') ? '1' : '0');

export function routeTable(routes: readonly Route[]): RouteTable {
  const compiled = routes
    .map((route) => ({ route, segments: route.path.split('/').slice(1) }))
    .sort((a, b) => a.segments.map(rank).join('').localeCompare(b.segments.map(rank).join('')));
  return {
    match(method, path) {
      const parts = path.split('/').slice(1);
      for (const { route, segments } of compiled) {
        if (route.method !== method) continue;
        const params = matchSegments(segments, parts);
        if (params) return { route, params };
      }
      return null;
    },
  };
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  const rest = segments.at(-1) === '**';
  if (rest ? parts.length < segments.length - 1 : parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === '**') return parts.slice(i).includes('') ? null : params;
    const part = parts[i]!;
    if (segment.startsWith(':')) {
      if (part === '') return null;
      params[segment.slice(1)] = safeDecode(part) ?? part;
    } else if (segment !== part) return null;
  }
  return params;
}

/** The text percent-decoded, or null when it is not valid percent-encoded UTF-8. */
export function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
