import assert from 'node:assert/strict';
import { PARALLAX_TIP_AFTER, PARALLAX_TIP_MESSAGE, parallaxTipDue, suggestedAction, welcomeMessage } from '../../../systems/session/sessionRules.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('session journey rules (seed 000 steps 5.4 and 14)', () => {
  describe('welcome message by time away (14.5), boundaries at 1 h and 24 h', () => {
    it('under one hour: right where you left off; from exactly 1 h: ready to continue', () => {
      assert.equal(welcomeMessage(false, 0), 'Welcome back! Right where you left off.');
      assert.equal(welcomeMessage(false, HOUR - 1), 'Welcome back! Right where you left off.');
      assert.equal(welcomeMessage(false, HOUR), 'Welcome back! Ready to continue exploring?');
    });

    it('under 24 h: ready to continue; from exactly 24 h: away for floor(days) days (seed example 2 h → the middle variant)', () => {
      assert.equal(welcomeMessage(false, 2 * HOUR), 'Welcome back! Ready to continue exploring?');
      assert.equal(welcomeMessage(false, DAY - 1), 'Welcome back! Ready to continue exploring?');
      assert.equal(welcomeMessage(false, DAY), "Welcome back! You've been away for 1 days. Check out what's new.");
      assert.equal(welcomeMessage(false, 3 * DAY - 1), "Welcome back! You've been away for 2 days. Check out what's new.");
    });

    it('a first launch (or no earlier session) gets the step 1 greeting', () => {
      assert.equal(welcomeMessage(true, 5 * DAY), 'Welcome to DeepStream');
      assert.equal(welcomeMessage(false, null), 'Welcome to DeepStream');
    });
  });

  describe('suggested action (14 response)', () => {
    it('check_recommendations when new recommendations wait, else continue_exploring (seed: 3 new → check them)', () => {
      assert.equal(suggestedAction({ newRecommendations: 3, newArtists: 0, socialUpdates: 0 }), 'check_recommendations');
      assert.equal(suggestedAction({ newRecommendations: 0, newArtists: 5, socialUpdates: 2 }), 'continue_exploring');
      assert.equal(suggestedAction({ newRecommendations: null, newArtists: 0, socialUpdates: 0 }), 'continue_exploring');
      assert.equal(suggestedAction(null), 'continue_exploring');
    });
  });

  describe('parallax tip (5.4)', () => {
    it('is due after exactly 3 engagements for a user who has not seen it, and never once seen', () => {
      assert.equal(PARALLAX_TIP_AFTER, 3);
      assert.equal(PARALLAX_TIP_MESSAGE, "You've discovered depth! Try tilting more...");
      assert.equal(parallaxTipDue(0, false), false);
      assert.equal(parallaxTipDue(2, false), false);
      assert.equal(parallaxTipDue(3, false), true);
      assert.equal(parallaxTipDue(4, false), true, 'a batch may jump past 3 (seed: count + 2)');
      assert.equal(parallaxTipDue(3, true), false);
      assert.equal(parallaxTipDue(50, true), false);
    });
  });
});
