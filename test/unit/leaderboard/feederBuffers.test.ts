import assert from 'node:assert/strict';
import { oncePerLeaderboard } from '../../../features/leaderboard/LeaderboardFeeder.js';
import { DAY_GROUP, HOUR_GROUP } from '../../../systems/leaderboard/windows.js';

describe('oncePerLeaderboard (one flush asks who watches a leaderboard once)', () => {
  it('asks the source once per leaderboard, a 0 answer included, and repeats its answers', () => {
    const asked: string[] = [];
    const answers: Record<string, 0 | 1 | 2> = { 'artists.visits': DAY_GROUP, 'orbs.transitions': HOUR_GROUP, 'tracks.plays': 0 };
    const groupsOf = oncePerLeaderboard((leaderboard) => (asked.push(leaderboard), answers[leaderboard]));
    const boards = ['artists.visits', 'tracks.plays', 'artists.visits', 'orbs.transitions', 'tracks.plays', 'artists.visits'];
    assert.deepEqual(boards.map(groupsOf), [DAY_GROUP, 0, DAY_GROUP, HOUR_GROUP, 0, DAY_GROUP]);
    assert.deepEqual(asked, ['artists.visits', 'tracks.plays', 'orbs.transitions']);
  });
});
