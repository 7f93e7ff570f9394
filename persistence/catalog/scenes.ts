import type { SceneType } from './demoArtists.js';
import type { SceneRow } from './types.js';
import type { HapticEventRecord } from '../../systems/catalog/catalogRules.js';

const CDN = 'https://cdn.deepstream.io';

interface SceneLook {
  particles: Record<string, unknown>;
  lighting: Record<string, unknown>;
  haptic: HapticEventRecord[];
}

const SHARP_LOCK: HapticEventRecord[] = [
  { type: 'transient', time: 0, intensity: 1.0, sharpness: 0.5 },
  { type: 'continuous', time: 0.05, duration: 0.1, intensity: 0.4 },
];
const SOFT_LOCK: HapticEventRecord[] = [
  { type: 'transient', time: 0, intensity: 0.6, sharpness: 0.2 },
  { type: 'continuous', time: 0.04, duration: 0.2, intensity: 0.3 },
];

// The Lagos street, Shrine and original Shrine looks are specified; the rest follow their shape.
const LOOKS: Record<SceneType, SceneLook> = {
  lagos_street: {
    particles: { type: 'dust', count: 300, emission_rate: 20, color_start: '#FFA500', color_end: '#FF6B00' },
    lighting: { ambient_color: '#FFB347', intensity: 0.9, spotlight_angle: 60 },
    haptic: SHARP_LOCK,
  },
  shrine: {
    particles: { type: 'smoke', count: 500, rise_speed: 1.2, color_start: '#808080', color_end: '#404040' },
    lighting: { ambient_color: '#A0522D', intensity: 0.8, spotlight_angle: 50 },
    haptic: SHARP_LOCK,
  },
  shrine_original: {
    particles: { type: 'smoke', count: 800, rise_speed: 0.8, turbulence: 1.5, color_start: '#696969', color_end: '#2F4F4F' },
    lighting: { ambient_color: '#8B4513', intensity: 0.7, spotlight_angle: 45 },
    haptic: SHARP_LOCK,
  },
  jazz_club: {
    particles: { type: 'haze', count: 150, emission_rate: 8, color_start: '#DAA520', color_end: '#4B3621' },
    lighting: { ambient_color: '#B8860B', intensity: 0.5, spotlight_angle: 20 },
    haptic: SOFT_LOCK,
  },
  studio: {
    particles: { type: 'bokeh', count: 120, emission_rate: 6, color_start: '#E6E6FA', color_end: '#9370DB' },
    lighting: { ambient_color: '#483D8B', intensity: 0.6, spotlight_angle: 30 },
    haptic: SOFT_LOCK,
  },
  club: {
    particles: { type: 'sparks', count: 400, emission_rate: 40, color_start: '#FF1493', color_end: '#00BFFF' },
    lighting: { ambient_color: '#1E90FF', intensity: 1.0, spotlight_angle: 70 },
    haptic: SHARP_LOCK,
  },
  desert: {
    particles: { type: 'sand', count: 600, emission_rate: 30, color_start: '#F4A460', color_end: '#D2691E' },
    lighting: { ambient_color: '#FFDEAD', intensity: 1.0, spotlight_angle: 90 },
    haptic: SOFT_LOCK,
  },
  harbour: {
    particles: { type: 'mist', count: 250, emission_rate: 10, color_start: '#AFEEEE', color_end: '#4682B4' },
    lighting: { ambient_color: '#87CEEB', intensity: 0.8, spotlight_angle: 50 },
    haptic: SOFT_LOCK,
  },
  township: {
    particles: { type: 'dust', count: 350, emission_rate: 18, color_start: '#DEB887', color_end: '#8B4513' },
    lighting: { ambient_color: '#CD853F', intensity: 0.85, spotlight_angle: 55 },
    haptic: SHARP_LOCK,
  },
  cathedral: {
    particles: { type: 'light_rays', count: 80, emission_rate: 4, color_start: '#FFFACD', color_end: '#FFD700' },
    lighting: { ambient_color: '#F5DEB3', intensity: 0.65, spotlight_angle: 25 },
    haptic: SOFT_LOCK,
  },
};

/** One scene per artist, named after the artist, in the look of its scene type. */
export function sceneFor(slug: string, artistName: string, sceneType: SceneType): SceneRow {
  const look = LOOKS[sceneType];
  const id = `scene_${slug}`;
  return {
    id,
    name: `${artistName} — ${sceneType.replace('_', ' ')}`,
    scene_type: sceneType,
    video_url_high: `${CDN}/${id}_high.mp4`,
    video_url_medium: `${CDN}/${id}_med.mp4`,
    video_url_low: `${CDN}/${id}_low.mp4`,
    loop_point: 12.4,
    particles: look.particles,
    lighting: look.lighting,
    ambient_sound: `${CDN}/${sceneType}_ambient.mp3`,
    haptic_pattern: look.haptic,
  };
}
