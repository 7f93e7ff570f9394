/** The userId and deviceId of an event are never the client's to choose: naming someone else is refused, naming nobody gets the caller's. */
import type { AccessIdentity } from '../auth/identity.js';
import type { FieldIssue, PassportEvent } from './events.js';

/** e.g. `events.3.userId`, or `user_id` for the gravity body. */
export type IdentityFieldNamer = (index: number, field: 'userId' | 'deviceId') => string;

export type BindResult = { ok: true; events: PassportEvent[] } | { ok: false; issues: FieldIssue[] };

/** All-or-nothing, like validation: one event naming another user or device binds none. */
export function bindEventsTo(events: readonly PassportEvent[], identity: AccessIdentity, fieldOf: IdentityFieldNamer, maxIssues = 50): BindResult {
  const issues: FieldIssue[] = [];
  const userId = identity.userId.toLowerCase();
  const bound = events.map((event, i) => {
    if (event.userId !== null && event.userId.toLowerCase() !== userId) {
      issues.push({ field: fieldOf(i, 'userId'), message: "names another user; events are logged for the access token's user only (omit the field)" });
    }
    if (event.deviceId !== null && event.deviceId !== identity.deviceId) {
      issues.push({ field: fieldOf(i, 'deviceId'), message: "names another device; events are logged for the access token's device only (omit the field)" });
    }
    return { ...event, userId, deviceId: identity.deviceId } as PassportEvent;
  });
  return issues.length > 0 ? { ok: false, issues: issues.slice(0, maxIssues) } : { ok: true, events: bound };
}
