import { ArtistAsset, ArtistImage, AssetReview, AssetReviewImage, AssetWebhook } from './assets.js';
import { Device, RefreshToken } from './auth.js';
import { Artist, CatalogMeta, InfluenceOrb, Scene } from './catalog.js';
import { JobLog } from './jobs.js';
import { LeaderboardReset } from './leaderboard.js';
import { ColiseumReport, MediaId } from './mediaid.js';
import { UserRecommendation } from './discovery.js';
import { ConstellationShare } from './journal.js';
import { Notification, NotificationSetting, PushDevice } from './notifications.js';
import { Session, User } from './session.js';

/** Every entity, listed explicitly (no glob discovery on Node 20). */
export const entities = [
  Scene,
  Artist,
  InfluenceOrb,
  CatalogMeta,
  User,
  Session,
  Device,
  RefreshToken,
  JobLog,
  ArtistAsset,
  ArtistImage,
  AssetReview,
  AssetReviewImage,
  AssetWebhook,
  ConstellationShare,
  UserRecommendation,
  MediaId,
  ColiseumReport,
  LeaderboardReset,
  Notification,
  NotificationSetting,
  PushDevice,
];
