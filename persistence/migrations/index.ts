import { Migration001Foundation } from './Migration001Foundation.js';
import { Migration002Passport } from './Migration002Passport.js';
import { Migration003Devices } from './Migration003Devices.js';
import { Migration006Gravity } from './Migration006Gravity.js';
import { Migration007Jobs } from './Migration007Jobs.js';
import { Migration008PassportPartitions } from './Migration008PassportPartitions.js';
import { Migration009Shares } from './Migration009Shares.js';
import { Migration010Discovery } from './Migration010Discovery.js';
import { Migration011Journey } from './Migration011Journey.js';
import { Migration012PlatformKpis } from './Migration012PlatformKpis.js';
import { Migration013MediaIdDna } from './Migration013MediaIdDna.js';
import { Migration014OpsHistory } from './Migration014OpsHistory.js';
import { Migration015LeaderboardResets } from './Migration015LeaderboardResets.js';
import { Migration016ConciertoVotes } from './Migration016ConciertoVotes.js';
import { Migration017PassportFlights } from './Migration017PassportFlights.js';
import { Migration018CustomLeaderboards } from './Migration018CustomLeaderboards.js';
import { Migration019ReportTypes } from './Migration019ReportTypes.js';
import { Migration020ApiRequestStats } from './Migration020ApiRequestStats.js';
import { Migration021SessionSnapshots } from './Migration021SessionSnapshots.js';
import { Migration022CaptureOutbox } from './Migration022CaptureOutbox.js';
import { Migration023DeviceRevocations } from './Migration023DeviceRevocations.js';
import { Migration024StarsCapturedAt } from './Migration024StarsCapturedAt.js';
import { Migration025InfluenceImports } from './Migration025InfluenceImports.js';
import { Migration026Notifications } from './Migration026Notifications.js';
import { Migration027PaymentEvents } from './Migration027PaymentEvents.js';
import { Migration028NotificationDelivery } from './Migration028NotificationDelivery.js';
import { Migration030AssetReviews } from './Migration030AssetReviews.js';
import { Migration031AssetWebhooks } from './Migration031AssetWebhooks.js';
import { Migration032HeldVotes } from './Migration032HeldVotes.js';
import { Migration033DnaSnapshots } from './Migration033DnaSnapshots.js';
import { Migration034ShareLinks } from './Migration034ShareLinks.js';
import { Migration035OpsUserList } from './Migration035OpsUserList.js';
import { Migration036Friends } from './Migration036Friends.js';
import { Migration037VoterContacts } from './Migration037VoterContacts.js';
import { Migration038AssetReviewNotices } from './Migration038AssetReviewNotices.js';

/** Every migration in order. File discovery is off (it needs fs.globSync, absent on Node 20). */
export const migrationsList = [
  Migration001Foundation,
  Migration002Passport,
  Migration003Devices,
  Migration006Gravity,
  Migration007Jobs,
  Migration008PassportPartitions,
  Migration009Shares,
  Migration010Discovery,
  Migration011Journey,
  Migration012PlatformKpis,
  Migration013MediaIdDna,
  Migration014OpsHistory,
  Migration015LeaderboardResets,
  Migration016ConciertoVotes,
  Migration017PassportFlights,
  Migration018CustomLeaderboards,
  Migration019ReportTypes,
  Migration020ApiRequestStats,
  Migration021SessionSnapshots,
  Migration022CaptureOutbox,
  Migration023DeviceRevocations,
  Migration024StarsCapturedAt,
  Migration025InfluenceImports,
  Migration026Notifications,
  Migration027PaymentEvents,
  Migration028NotificationDelivery,
  Migration030AssetReviews,
  Migration031AssetWebhooks,
  Migration032HeldVotes,
  Migration033DnaSnapshots,
  Migration034ShareLinks,
  Migration035OpsUserList,
  Migration036Friends,
  Migration037VoterContacts,
  Migration038AssetReviewNotices,
];
