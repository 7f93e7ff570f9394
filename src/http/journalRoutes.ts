import type { JournalService } from '../../features/journal/JournalService.js';
import { ForbiddenError, withBearerChallenge, type RequestAuth } from './requireUser.js';
import { json, type Route } from './router.js';

/** `GET /api/constellations/me`: the caller's constellation journal (seed 000 step 8); the user comes from the token. */
export function journalRoutes(journal: Pick<JournalService, 'journalOf'>, auth: RequestAuth): Route[] {
  return [
    withBearerChallenge({
      method: 'GET',
      path: '/api/constellations/me',
      handler: async ({ request }) => {
        const caller = await auth.requireUser(request);
        // "me" needs a user: the admin token is a service and has no constellation of its own.
        if (caller.kind !== 'user') throw new ForbiddenError('the admin token has no constellation; call with a user access token', [{ field: 'authorization', message: 'a user access token is required' }]);
        return json(await journal.journalOf(caller.userId));
      },
    }),
  ];
}
