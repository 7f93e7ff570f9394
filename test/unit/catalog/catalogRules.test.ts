import assert from 'node:assert/strict';
import { influenceScore, ORB_COLOURS, orbSize, relationshipFor, videoTierFor } from '../../../systems/catalog/catalogRules.js';
import { canResume, welcomeMessage, RESUME_WINDOW_MS } from '../../../systems/session/sessionRules.js';

describe('catalog rules (seed 000 steps 2 and 11)', () => {
  it('picks the video tier by device model (step 2.4)', () => {
    assert.equal(videoTierFor('iPhone17,3'), 'high');
    assert.equal(videoTierFor('iPhone16,2'), 'high');
    assert.equal(videoTierFor('iPhone13,1'), 'medium');
    assert.equal(videoTierFor('Pixel 9'), 'low');
    assert.equal(videoTierFor(undefined), 'low');
  });

  it('derives relationship types from eras and dial distance (step 11.d)', () => {
    assert.equal(relationshipFor(2009, 1958, 2.8), 'ancestor'); // Wizkid → Fela
    assert.equal(relationshipFor(1958, 2009, 2.8), 'influenced');
    assert.equal(relationshipFor(2012, 2010, 2.2), 'peer'); // same decade, 2.2 MHz apart
    assert.equal(relationshipFor(2012, 2018, 12.2), 'contemporary'); // same decade, 12.2 MHz apart
    assert.equal(relationshipFor(null, 1958, 2.8), 'contemporary', 'an unknown era');
  });

  it('weights the influence score 0.4/0.3/0.2/0.1 and sizes orbs 50–80 px (steps 11.d, 11.f)', () => {
    // confidence 1, similarity 1, 1 MHz apart, 3 sources → 0.4 + 0.3 + 0.2 + 0.1
    assert.ok(Math.abs(influenceScore(1, 1, 1, 3) - 1) < 1e-12);
    assert.ok(Math.abs(influenceScore(0.5, 0.5, 2, 0) - (0.2 + 0.15 + 0.1)) < 1e-12);
    assert.equal(orbSize(0), 50);
    assert.equal(orbSize(1), 80);
    assert.equal(ORB_COLOURS.ancestor, '#FFD700');
  });
});

describe('session rules (seed 000 steps 1 and 14)', () => {
  it('resumes within two hours only', () => {
    assert.equal(canResume(0, RESUME_WINDOW_MS - 1), true);
    assert.equal(canResume(0, RESUME_WINDOW_MS), false);
  });

  it('greets by time away', () => {
    assert.equal(welcomeMessage(true, null), 'Welcome to DeepStream');
    assert.equal(welcomeMessage(false, 30 * 60_000), 'Welcome back! Right where you left off.');
    assert.equal(welcomeMessage(false, 5 * 3600_000), 'Welcome back! Ready to continue exploring?');
    assert.equal(welcomeMessage(false, 3 * 86400_000 + 5), "Welcome back! You've been away for 3 days. Check out what's new.");
  });
});
