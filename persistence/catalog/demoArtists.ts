/** Demo catalog: the seed's artists at the seed's frequencies, plus enough neighbours to fill the band. */
export interface DemoArtist {
  frequency: number;
  name: string;
  genres: string[];
  /** First year of the artist's career; orders ancestor / peer / influenced. */
  since: number;
  origin: string;
  sceneType: SceneType;
}

export type SceneType = 'lagos_street' | 'shrine' | 'studio' | 'club' | 'desert' | 'harbour' | 'township' | 'cathedral';

// Frequencies 104.2–105.4 stay empty on purpose: seed 000 step 3 swipes 99.9 + 850/200 = 104.15 → 105.5.
export const DEMO_ARTISTS: DemoArtist[] = [
  { frequency: 88.1, name: 'Miriam Makeba', genres: ['Afropop', 'World'], since: 1953, origin: 'Johannesburg, South Africa', sceneType: 'township' },
  { frequency: 88.5, name: 'Hugh Masekela', genres: ['Jazz', 'Afropop'], since: 1956, origin: 'Witbank, South Africa', sceneType: 'township' },
  { frequency: 88.9, name: 'Ali Farka Touré', genres: ['Desert Blues', 'World'], since: 1968, origin: 'Niafunké, Mali', sceneType: 'desert' },
  { frequency: 89.3, name: "Youssou N'Dour", genres: ['Mbalax', 'World'], since: 1975, origin: 'Dakar, Senegal', sceneType: 'harbour' },
  { frequency: 89.7, name: 'Salif Keita', genres: ['Afropop', 'World'], since: 1967, origin: 'Djoliba, Mali', sceneType: 'desert' },
  { frequency: 89.9, name: 'Yemi Alade', genres: ['Afropop', 'Afrobeats'], since: 2009, origin: 'Lagos, Nigeria', sceneType: 'club' },
  { frequency: 90.1, name: 'Angélique Kidjo', genres: ['Afropop', 'World', 'Funk'], since: 1980, origin: 'Cotonou, Benin', sceneType: 'harbour' },
  { frequency: 90.5, name: 'Manu Dibango', genres: ['Afro-jazz', 'Funk'], since: 1960, origin: 'Douala, Cameroon', sceneType: 'studio' },
  { frequency: 90.9, name: 'Osibisa', genres: ['Afro-rock', 'Highlife'], since: 1969, origin: 'London, United Kingdom', sceneType: 'club' },
  { frequency: 91.3, name: 'Ebo Taylor', genres: ['Highlife', 'Afrobeat'], since: 1962, origin: 'Cape Coast, Ghana', sceneType: 'harbour' },
  { frequency: 91.7, name: 'E.T. Mensah', genres: ['Highlife', 'Jazz'], since: 1948, origin: 'Accra, Ghana', sceneType: 'harbour' },
  { frequency: 92.1, name: 'Oliver De Coque', genres: ['Highlife'], since: 1976, origin: 'Ezinifite, Nigeria', sceneType: 'lagos_street' },
  { frequency: 92.5, name: 'Bob Marley', genres: ['Reggae'], since: 1962, origin: 'Kingston, Jamaica', sceneType: 'harbour' },
  { frequency: 92.9, name: 'Peter Tosh', genres: ['Reggae'], since: 1963, origin: 'Kingston, Jamaica', sceneType: 'harbour' },
  { frequency: 93.3, name: 'Damian Marley', genres: ['Reggae', 'Dancehall', 'Hip Hop'], since: 1996, origin: 'Kingston, Jamaica', sceneType: 'harbour' },
  { frequency: 93.7, name: 'Stevie Wonder', genres: ['Soul', 'Funk', 'R&B'], since: 1961, origin: 'Detroit, USA', sceneType: 'studio' },
  { frequency: 94.1, name: 'Marvin Gaye', genres: ['Soul', 'R&B'], since: 1959, origin: 'Washington, USA', sceneType: 'studio' },
  { frequency: 94.5, name: 'Aretha Franklin', genres: ['Soul', 'Gospel'], since: 1956, origin: 'Memphis, USA', sceneType: 'cathedral' },
  { frequency: 94.9, name: 'Sade', genres: ['Soul', 'Smooth Jazz', 'R&B'], since: 1982, origin: 'Ibadan, Nigeria', sceneType: 'studio' },
  { frequency: 95.3, name: 'Prince', genres: ['Funk', 'Pop', 'R&B'], since: 1976, origin: 'Minneapolis, USA', sceneType: 'club' },
  { frequency: 95.7, name: 'Erykah Badu', genres: ['Neo Soul', 'R&B', 'Soul'], since: 1994, origin: 'Dallas, USA', sceneType: 'studio' },
  { frequency: 96.3, name: 'James Brown', genres: ['Funk', 'Soul'], since: 1953, origin: 'Augusta, USA', sceneType: 'club' },
  { frequency: 96.7, name: 'Tony Allen', genres: ['Afrobeat', 'Jazz'], since: 1964, origin: 'Lagos, Nigeria', sceneType: 'shrine' },
  { frequency: 97.1, name: 'Roy Ayers', genres: ['Jazz', 'Funk', 'Soul'], since: 1962, origin: 'Los Angeles, USA', sceneType: 'studio' },
  { frequency: 97.5, name: 'Nina Simone', genres: ['Jazz', 'Soul', 'Blues'], since: 1954, origin: 'Tryon, USA', sceneType: 'cathedral' },
  { frequency: 98.1, name: 'Femi Kuti', genres: ['Afrobeat', 'Jazz'], since: 1986, origin: 'Lagos, Nigeria', sceneType: 'shrine' },
  { frequency: 98.5, name: 'Seun Kuti', genres: ['Afrobeat'], since: 2000, origin: 'Lagos, Nigeria', sceneType: 'shrine' },
  { frequency: 98.9, name: 'Davido', genres: ['Afrobeats', 'Afropop'], since: 2011, origin: 'Atlanta, USA', sceneType: 'club' },
  { frequency: 99.9, name: 'Wizkid', genres: ['Afrobeats', 'Afropop', 'R&B'], since: 2009, origin: 'Lagos, Nigeria', sceneType: 'lagos_street' },
  { frequency: 100.9, name: '2Baba', genres: ['Afropop', 'R&B'], since: 1998, origin: 'Jos, Nigeria', sceneType: 'lagos_street' },
  { frequency: 101.1, name: 'King Sunny Ade', genres: ['Jùjú', 'Highlife'], since: 1966, origin: 'Oshogbo, Nigeria', sceneType: 'lagos_street' },
  { frequency: 101.5, name: 'Ebenezer Obey', genres: ['Jùjú'], since: 1964, origin: 'Idogo, Nigeria', sceneType: 'lagos_street' },
  { frequency: 101.9, name: 'Lagbaja', genres: ['Afrobeat', 'Jazz'], since: 1991, origin: 'Lagos, Nigeria', sceneType: 'shrine' },
  { frequency: 102.3, name: 'Orlando Julius', genres: ['Afro-soul', 'Highlife', 'Funk'], since: 1960, origin: 'Ijebu-Ode, Nigeria', sceneType: 'studio' },
  { frequency: 102.7, name: 'Fela Kuti', genres: ['Afrobeat', 'Funk', 'Jazz'], since: 1958, origin: 'Abeokuta, Nigeria', sceneType: 'shrine' },
  { frequency: 103.3, name: 'Tiwa Savage', genres: ['Afrobeats', 'R&B'], since: 2010, origin: 'Lagos, Nigeria', sceneType: 'lagos_street' },
  { frequency: 103.7, name: 'Rema', genres: ['Afrobeats', 'Afro-rave'], since: 2019, origin: 'Benin City, Nigeria', sceneType: 'club' },
  { frequency: 104.1, name: 'Ayra Starr', genres: ['Afrobeats', 'R&B'], since: 2021, origin: 'Cotonou, Benin', sceneType: 'club' },
  { frequency: 105.5, name: 'Burna Boy', genres: ['Afrofusion', 'Afrobeats', 'Reggae', 'Dancehall'], since: 2012, origin: 'Port Harcourt, Nigeria', sceneType: 'shrine' },
  { frequency: 105.9, name: 'Tems', genres: ['R&B', 'Afrobeats', 'Alternative'], since: 2018, origin: 'Lagos, Nigeria', sceneType: 'studio' },
  { frequency: 106.3, name: 'Asake', genres: ['Afrobeats', 'Amapiano', 'Fuji'], since: 2020, origin: 'Lagos, Nigeria', sceneType: 'lagos_street' },
  { frequency: 106.7, name: 'Olamide', genres: ['Afrobeats', 'Hip Hop'], since: 2010, origin: 'Lagos, Nigeria', sceneType: 'lagos_street' },
  { frequency: 107.1, name: 'Mr Eazi', genres: ['Afrobeats', 'Afropop'], since: 2013, origin: 'Accra, Ghana', sceneType: 'club' },
  { frequency: 107.5, name: 'Black Coffee', genres: ['House', 'Afro House'], since: 2004, origin: 'Durban, South Africa', sceneType: 'club' },
  { frequency: 107.9, name: 'Kabza De Small', genres: ['Amapiano', 'House'], since: 2016, origin: 'Pretoria, South Africa', sceneType: 'township' },
];

/** Relationships the seeds name (seed 000 steps 2, 4, 6); the rest are derived from genres and eras. */
export const SEED_RELATIONSHIPS: Array<[source: string, target: string, type: string, description: string]> = [
  ['Wizkid', 'Fela Kuti', 'ancestor', 'Afrobeat pioneer whose rhythms run through Afrobeats'],
  ['Wizkid', 'Sade', 'influence', 'Smooth soul phrasing Wizkid cites as an influence'],
  ['Burna Boy', 'Fela Kuti', 'ancestor', 'Burna Boy grew up on Fela; his grandfather managed him'],
  ['Burna Boy', 'Damian Marley', 'peer', 'Collaborators across Afrofusion and reggae'],
  ['Fela Kuti', 'James Brown', 'influence', "Influenced Fela's funk style"],
  ['Fela Kuti', 'Tony Allen', 'collaborator', "Fela's legendary drummer"],
];
