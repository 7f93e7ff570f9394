import type { HapticEventRecord } from '../../systems/catalog/catalogRules.js';
import type { RelationshipType } from '../../systems/catalog/catalogRules.js';

export interface SceneRow {
  id: string;
  name: string;
  scene_type: string;
  video_url_high: string;
  video_url_medium: string;
  video_url_low: string;
  loop_point: number;
  particles: Record<string, unknown>;
  lighting: Record<string, unknown>;
  ambient_sound: string | null;
  haptic_pattern: HapticEventRecord[];
}

export interface ArtistRow {
  id: string;
  name: string;
  station_frequency: number | null;
  genres: string[];
  era: string;
  origin: string;
  bio: string;
  hero_image: string;
  deep_etched_image: string;
  thumbnail: string;
  scene_id: string;
}

export interface OrbRow {
  id: string;
  source_artist_id: string;
  target_artist_id: string;
  relationship_type: RelationshipType;
  orbit_radius: number;
  orbit_speed: number;
  start_angle: number;
  inclination: number;
  size: number;
  glow_color: string;
  influence_score: number;
  description: string;
}

export interface CatalogRows {
  scenes: SceneRow[];
  artists: ArtistRow[];
  orbs: OrbRow[];
}
