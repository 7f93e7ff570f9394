import { vec3 } from 'gl-matrix';
import { orbPosition } from '../../systems/session/orbits.js';
import { videoTierFor } from '../../systems/catalog/catalogRules.js';
import type { StationRecord } from '../../persistence/catalog/CatalogRepository.js';

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Artist, scene with the device's video tier, orbs at their start positions, neighbours, haptics. */
export function presentStation(station: StationRecord, deviceModel: string | undefined) {
  const tier = videoTierFor(deviceModel);
  const position = vec3.create();
  const { artist, scene } = station;
  return {
    artist: {
      id: artist.id,
      name: artist.name,
      station: artist.frequency,
      genres: artist.genres,
      era: artist.era,
      origin: artist.origin,
      bio: artist.bio,
      hero_image: artist.heroImage,
      deep_etched_image: artist.deepEtchedImage,
    },
    scene: {
      id: scene.id,
      name: scene.name,
      scene_type: scene.sceneType,
      video_tier: tier,
      video_url: scene.videoUrls[tier],
      loop_point: scene.loopPoint,
      particles: scene.particles,
      lighting: scene.lighting,
      ambient_sound: scene.ambientSound,
    },
    influence_orbs: station.orbs.map((orb) => {
      orbPosition(position, orb.radius, orb.startAngle, orb.inclination);
      return {
        id: orb.id,
        artist_id: orb.targetArtistId,
        artist_name: orb.targetName,
        station: orb.targetFrequency,
        thumbnail: orb.thumbnail,
        relationship: orb.relationship,
        position: { x: round1(position[0]), y: round1(position[1]), z: round1(position[2]) },
        orbit_radius: orb.radius,
        orbit_speed: orb.speed,
        angle: orb.startAngle,
        inclination: orb.inclination,
        size: orb.size,
        glow_color: orb.glowColor,
        description: orb.description,
      };
    }),
    haptic_config: { lock_pattern: scene.hapticPattern },
    preload_adjacent: [station.adjacent.below, station.adjacent.above]
      .filter((s) => s !== null)
      .map((s) => ({ frequency: s.frequency, artist_id: s.artistId })),
  };
}
