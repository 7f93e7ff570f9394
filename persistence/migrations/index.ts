import { Migration036Baseline } from './Migration036Baseline.js';
import { Migration037VoterContacts } from './Migration037VoterContacts.js';
import { Migration038AssetReviewNotices } from './Migration038AssetReviewNotices.js';
import { Migration039OneArtistIndex } from './Migration039OneArtistIndex.js';

/** Every migration in order. File discovery is off (it needs fs.globSync, absent on Node 20). */
export const migrationsList = [Migration036Baseline, Migration037VoterContacts, Migration038AssetReviewNotices, Migration039OneArtistIndex];
