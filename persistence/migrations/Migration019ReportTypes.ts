import { Migration } from '@mikro-orm/migrations';

/** Report types `brand_campaign` (stored `campaign` reports renamed) and `tournament`. */
export class Migration019ReportTypes extends Migration {
  override name = 'Migration019ReportTypes';

  override up(): void {
    this.addSql('ALTER TABLE coliseum_reports DROP CONSTRAINT coliseum_reports_report_type_check');
    this.addSql(`UPDATE coliseum_reports SET report_type = 'brand_campaign' WHERE report_type = 'campaign'`);
    this.addSql(
      `ALTER TABLE coliseum_reports ADD CONSTRAINT coliseum_reports_report_type_check CHECK (report_type IN ('artist', 'event', 'city', 'brand_campaign', 'tournament'))`,
    );
  }

  override down(): void {
    this.addSql('ALTER TABLE coliseum_reports DROP CONSTRAINT coliseum_reports_report_type_check');
    this.addSql(`DELETE FROM coliseum_reports WHERE report_type = 'tournament'`);
    this.addSql(`UPDATE coliseum_reports SET report_type = 'campaign' WHERE report_type = 'brand_campaign'`);
    this.addSql(
      `ALTER TABLE coliseum_reports ADD CONSTRAINT coliseum_reports_report_type_check CHECK (report_type IN ('artist', 'event', 'city', 'campaign'))`,
    );
  }
}
