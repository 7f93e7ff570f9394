import type { SceneType } from './demoArtists.js';
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

/** A look: particle type, count and motion, colours start → end; ambient light, its intensity, spotlight angle; haptics. */
const look = (
  type: string,
  count: number,
  motion: Record<string, number>,
  [start, end]: [string, string],
  [ambient, intensity, angle]: [string, number, number],
  haptic: HapticEventRecord[],
): SceneLook => ({
  particles: { type, count, ...motion, color_start: start, color_end: end },
  lighting: { ambient_color: ambient, intensity, spotlight_angle: angle },
  haptic,
});

// The Lagos street, Shrine and original Shrine looks are specified; the rest follow their shape.
const LOOKS: Record<SceneType, SceneLook> = {
  lagos_street: look('dust', 300, { emission_rate: 20 }, ['#FFA500', '#FF6B00'], ['#FFB347', 0.9, 60], SHARP_LOCK),
  shrine: look('smoke', 500, { rise_speed: 1.2 }, ['#808080', '#404040'], ['#A0522D', 0.8, 50], SHARP_LOCK),
  shrine_original: look('smoke', 800, { rise_speed: 0.8, turbulence: 1.5 }, ['#696969', '#2F4F4F'], ['#8B4513', 0.7, 45], SHARP_LOCK),
  jazz_club: look('haze', 150, { emission_rate: 8 }, ['#DAA520', '#4B3621'], ['#B8860B', 0.5, 20], SOFT_LOCK),
  studio: look('bokeh', 120, { emission_rate: 6 }, ['#E6E6FA', '#9370DB'], ['#483D8B', 0.6, 30], SOFT_LOCK),
  club: look('sparks', 400, { emission_rate: 40 }, ['#FF1493', '#00BFFF'], ['#1E90FF', 1.0, 70], SHARP_LOCK),
  desert: look('sand', 600, { emission_rate: 30 }, ['#F4A460', '#D2691E'], ['#FFDEAD', 1.0, 90], SOFT_LOCK),
  harbour: look('mist', 250, { emission_rate: 10 }, ['#AFEEEE', '#4682B4'], ['#87CEEB', 0.8, 50], SOFT_LOCK),
  township: look('dust', 350, { emission_rate: 18 }, ['#DEB887', '#8B4513'], ['#CD853F', 0.85, 55], SHARP_LOCK),
  cathedral: look('light_rays', 80, { emission_rate: 4 }, ['#FFFACD', '#FFD700'], ['#F5DEB3', 0.65, 25], SOFT_LOCK),
};

/** One scene per artist, named after the artist, in the look of its scene type. */
export function sceneFor(slug: string, artistName: string, sceneType: SceneType) {
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
    ambient_sound: `${CDN}/${sceneType}_ambient.mp3` as string | null,
    haptic_pattern: look.haptic,
  };
}
