import { Migration } from '@mikro-orm/migrations';

const TYPES = `'constellation_share', 'top_recommendation', 'friend_request', 'ride_invite'`;
const check = (types: string) =>
  `ALTER TABLE notifications DROP CONSTRAINT notifications_type_check, ADD CONSTRAINT notifications_type_check CHECK (type IN (${types}))`;

/** An upload's uploader is told in their inbox when it is held for review, approved or rejected. */
export class Migration038AssetReviewNotices extends Migration {
  override name = 'Migration038AssetReviewNotices';

  override up(): void {
    this.addSql(check(`${TYPES}, 'asset_review'`));
  }

  override down(): void {
    this.addSql(`DELETE FROM notifications WHERE type = 'asset_review'`);
    this.addSql(check(TYPES));
  }
}
