/**
 * Demo catalog: the seed's artists at the seed's frequencies, plus enough neighbours to fill the band and
 * to make every badge reachable (Galaxy Master is 50 stars: more than 50 stations).
 */
export interface DemoArtist {
  frequency: number;
  name: string;
  genres: string[];
  /** First year of the artist's career; orders ancestor / peer / influenced. */
  since: number;
  /**
   * The decades the artist is known for (seed 000 writes "1970s-1990s" for Fela Kuti, "1960s" for Nina
   * Simone, "2010s" for Wizkid and Burna Boy); "–present" only for artists still active.
   */
  era: string;
  origin: string;
  sceneType: SceneType;
}

/**
 * `shrine_original` is Fela's Afrika Shrine of the 1970s (seed 000 step 6 "scene_shrine_original"),
 * `shrine` the New Afrika Shrine his sons run, where Burna Boy's scene is set (step 4 "scene_shrine"),
 * `jazz_club` the club of Nina Simone's scene preview (step 13 "jazz_club_low.mp4").
 */
export type SceneType = 'lagos_street' | 'shrine' | 'shrine_original' | 'jazz_club' | 'studio' | 'club' | 'desert' | 'harbour' | 'township' | 'cathedral';

// Frequencies 104.2–105.4 stay empty on purpose: seed 000 step 3 swipes 99.9 + 850/200 = 104.15 → 105.5.
export const DEMO_ARTISTS: DemoArtist[] = [
  { frequency: 87.7, name: 'Billie Holiday', genres: ['Jazz', 'Blues', 'Swing'], since: 1933, era: '1930s–1950s', origin: 'Philadelphia, USA', sceneType: 'jazz_club' },
  { frequency: 88.1, name: 'Miriam Makeba', genres: ['Afropop', 'World', 'Jazz'], since: 1953, era: '1950s–2000s', origin: 'Johannesburg, South Africa', sceneType: 'township' },
  { frequency: 88.5, name: 'Hugh Masekela', genres: ['Jazz', 'Afropop'], since: 1956, era: '1950s–2010s', origin: 'Witbank, South Africa', sceneType: 'township' },
  { frequency: 88.9, name: 'Ali Farka Touré', genres: ['Desert Blues', 'World'], since: 1968, era: '1970s–2000s', origin: 'Niafunké, Mali', sceneType: 'desert' },
  { frequency: 89.3, name: "Youssou N'Dour", genres: ['Mbalax', 'World'], since: 1975, era: '1970s–present', origin: 'Dakar, Senegal', sceneType: 'harbour' },
  { frequency: 89.7, name: 'Salif Keita', genres: ['Afropop', 'World'], since: 1967, era: '1970s–present', origin: 'Djoliba, Mali', sceneType: 'desert' },
  { frequency: 89.9, name: 'Yemi Alade', genres: ['Afropop', 'Afrobeats'], since: 2009, era: '2010s–present', origin: 'Lagos, Nigeria', sceneType: 'club' },
  { frequency: 90.1, name: 'Angélique Kidjo', genres: ['Afropop', 'World', 'Funk'], since: 1980, era: '1980s–present', origin: 'Ouidah, Benin', sceneType: 'harbour' },
  { frequency: 90.5, name: 'Manu Dibango', genres: ['Afro-jazz', 'Funk'], since: 1960, era: '1960s–2010s', origin: 'Douala, Cameroon', sceneType: 'studio' },
  { frequency: 90.9, name: 'Osibisa', genres: ['Afro-rock', 'Highlife'], since: 1969, era: '1970s–present', origin: 'London, United Kingdom', sceneType: 'club' },
  { frequency: 91.3, name: 'Ebo Taylor', genres: ['Highlife', 'Afrobeat'], since: 1962, era: '1960s–present', origin: 'Cape Coast, Ghana', sceneType: 'harbour' },
  { frequency: 91.7, name: 'E.T. Mensah', genres: ['Highlife', 'Jazz'], since: 1948, era: '1940s–1980s', origin: 'Accra, Ghana', sceneType: 'harbour' },
  { frequency: 92.1, name: 'Oliver De Coque', genres: ['Highlife'], since: 1976, era: '1970s–2000s', origin: 'Ezinifite, Nigeria', sceneType: 'lagos_street' },
  { frequency: 92.5, name: 'Bob Marley', genres: ['Reggae'], since: 1962, era: '1960s–1980s', origin: 'Kingston, Jamaica', sceneType: 'harbour' },
  { frequency: 92.9, name: 'Peter Tosh', genres: ['Reggae'], since: 1963, era: '1960s–1980s', origin: 'Kingston, Jamaica', sceneType: 'harbour' },
  { frequency: 93.3, name: 'Damian Marley', genres: ['Reggae', 'Dancehall', 'Hip Hop'], since: 1996, era: '1990s–present', origin: 'Kingston, Jamaica', sceneType: 'harbour' },
  { frequency: 93.5, name: 'Meshell Ndegeocello', genres: ['Neo Soul', 'Funk', 'Jazz'], since: 1993, era: '1990s–present', origin: 'Berlin, Germany', sceneType: 'studio' },
  { frequency: 93.7, name: 'Stevie Wonder', genres: ['Soul', 'Funk', 'R&B'], since: 1961, era: '1960s–present', origin: 'Detroit, USA', sceneType: 'studio' },
  { frequency: 94.1, name: 'Marvin Gaye', genres: ['Soul', 'R&B'], since: 1959, era: '1960s–1980s', origin: 'Washington, USA', sceneType: 'studio' },
  { frequency: 94.5, name: 'Aretha Franklin', genres: ['Soul', 'Gospel'], since: 1956, era: '1960s–2010s', origin: 'Memphis, USA', sceneType: 'cathedral' },
  { frequency: 94.9, name: 'Sade', genres: ['Soul', 'Smooth Jazz', 'R&B'], since: 1982, era: '1980s–present', origin: 'Ibadan, Nigeria', sceneType: 'studio' },
  { frequency: 95.1, name: 'Mary J. Blige', genres: ['R&B', 'Soul', 'Hip Hop'], since: 1992, era: '1990s–present', origin: 'New York City, USA', sceneType: 'studio' },
  { frequency: 95.3, name: 'Prince', genres: ['Funk', 'Pop', 'R&B'], since: 1976, era: '1970s–2010s', origin: 'Minneapolis, USA', sceneType: 'club' },
  { frequency: 95.7, name: 'Erykah Badu', genres: ['Neo Soul', 'R&B', 'Soul'], since: 1994, era: '1990s–present', origin: 'Dallas, USA', sceneType: 'studio' },
  { frequency: 96.0, name: 'Kanye West', genres: ['Hip Hop'], since: 1996, era: '2000s–present', origin: 'Atlanta, USA', sceneType: 'studio' },
  { frequency: 96.3, name: 'James Brown', genres: ['Funk', 'Soul'], since: 1953, era: '1950s–2000s', origin: 'Augusta, USA', sceneType: 'club' },
  { frequency: 96.5, name: 'David Bowie', genres: ['Rock', 'Art Rock', 'Pop'], since: 1964, era: '1960s–2010s', origin: 'London, United Kingdom', sceneType: 'studio' },
  { frequency: 96.7, name: 'Tony Allen', genres: ['Afrobeat', 'Jazz'], since: 1964, era: '1960s–2010s', origin: 'Lagos, Nigeria', sceneType: 'shrine_original' },
  { frequency: 96.9, name: 'Jeff Buckley', genres: ['Rock', 'Folk Rock'], since: 1991, era: '1990s', origin: 'Anaheim, USA', sceneType: 'cathedral' },
  { frequency: 97.1, name: 'Roy Ayers', genres: ['Jazz', 'Funk', 'Soul'], since: 1962, era: '1960s–2020s', origin: 'Los Angeles, USA', sceneType: 'studio' },
  { frequency: 97.3, name: 'Lauryn Hill', genres: ['Hip Hop', 'R&B', 'Neo Soul', 'Reggae'], since: 1994, era: '1990s–present', origin: 'East Orange, USA', sceneType: 'studio' },
  { frequency: 97.5, name: 'Nina Simone', genres: ['Jazz', 'Soul', 'Blues'], since: 1954, era: '1960s', origin: 'Tryon, USA', sceneType: 'jazz_club' },
  { frequency: 97.8, name: 'Jay-Z', genres: ['Hip Hop'], since: 1996, era: '1990s–present', origin: 'Brooklyn, USA', sceneType: 'club' },
  { frequency: 98.1, name: 'Femi Kuti', genres: ['Afrobeat', 'Jazz'], since: 1986, era: '1980s–present', origin: 'Lagos, Nigeria', sceneType: 'shrine' },
  { frequency: 98.3, name: 'Talib Kweli', genres: ['Hip Hop'], since: 1997, era: '1990s–present', origin: 'Brooklyn, USA', sceneType: 'club' },
  { frequency: 98.5, name: 'Seun Kuti', genres: ['Afrobeat'], since: 2000, era: '2000s–present', origin: 'Lagos, Nigeria', sceneType: 'shrine' },
  { frequency: 98.9, name: 'Davido', genres: ['Afrobeats', 'Afropop'], since: 2011, era: '2010s–present', origin: 'Atlanta, USA', sceneType: 'club' },
  { frequency: 99.9, name: 'Wizkid', genres: ['Afrobeats', 'Afropop', 'R&B'], since: 2009, era: '2010s–present', origin: 'Lagos, Nigeria', sceneType: 'lagos_street' },
  { frequency: 100.9, name: '2Baba', genres: ['Afropop', 'R&B'], since: 1998, era: '1990s–present', origin: 'Jos, Nigeria', sceneType: 'lagos_street' },
  { frequency: 101.1, name: 'King Sunny Ade', genres: ['Jùjú', 'Highlife'], since: 1966, era: '1960s–present', origin: 'Oshogbo, Nigeria', sceneType: 'lagos_street' },
  { frequency: 101.5, name: 'Ebenezer Obey', genres: ['Jùjú'], since: 1964, era: '1960s–present', origin: 'Idogo, Nigeria', sceneType: 'lagos_street' },
  { frequency: 101.9, name: 'Lagbaja', genres: ['Afrobeat', 'Jazz'], since: 1991, era: '1990s–present', origin: 'Lagos, Nigeria', sceneType: 'shrine' },
  { frequency: 102.3, name: 'Orlando Julius', genres: ['Afro-soul', 'Highlife', 'Funk'], since: 1960, era: '1960s–2020s', origin: 'Ijebu-Ode, Nigeria', sceneType: 'studio' },
  { frequency: 102.7, name: 'Fela Kuti', genres: ['Afrobeat', 'Funk', 'Jazz'], since: 1958, era: '1970s–1990s', origin: 'Abeokuta, Nigeria', sceneType: 'shrine_original' },
  { frequency: 103.3, name: 'Tiwa Savage', genres: ['Afrobeats', 'R&B'], since: 2010, era: '2010s–present', origin: 'Lagos, Nigeria', sceneType: 'lagos_street' },
  { frequency: 103.7, name: 'Rema', genres: ['Afrobeats', 'Afro-rave'], since: 2019, era: '2010s–present', origin: 'Benin City, Nigeria', sceneType: 'club' },
  { frequency: 104.1, name: 'Ayra Starr', genres: ['Afrobeats', 'R&B'], since: 2021, era: '2020s–present', origin: 'Cotonou, Benin', sceneType: 'club' },
  { frequency: 105.5, name: 'Burna Boy', genres: ['Afrofusion', 'Afrobeats', 'Reggae', 'Dancehall'], since: 2012, era: '2010s–present', origin: 'Port Harcourt, Nigeria', sceneType: 'shrine' },
  { frequency: 105.9, name: 'Tems', genres: ['R&B', 'Afrobeats', 'Alternative'], since: 2018, era: '2010s–present', origin: 'Lagos, Nigeria', sceneType: 'studio' },
  { frequency: 106.3, name: 'Asake', genres: ['Afrobeats', 'Amapiano', 'Fuji'], since: 2020, era: '2020s–present', origin: 'Lagos, Nigeria', sceneType: 'lagos_street' },
  { frequency: 106.7, name: 'Olamide', genres: ['Afrobeats', 'Hip Hop'], since: 2010, era: '2010s–present', origin: 'Lagos, Nigeria', sceneType: 'lagos_street' },
  { frequency: 107.1, name: 'Mr Eazi', genres: ['Afrobeats', 'Afropop'], since: 2013, era: '2010s–present', origin: 'Port Harcourt, Nigeria', sceneType: 'club' },
  { frequency: 107.5, name: 'Black Coffee', genres: ['House', 'Afro House'], since: 2004, era: '2000s–present', origin: 'Durban, South Africa', sceneType: 'club' },
  { frequency: 107.9, name: 'Kabza De Small', genres: ['Amapiano', 'House'], since: 2016, era: '2010s–present', origin: 'Pretoria, South Africa', sceneType: 'township' },
];

/**
 * Relationships the seeds name (seed 000 steps 2, 4, 6) and documented ones (the description says
 * where each is documented); the rest are derived from genres and eras. Each artist keeps at most
 * `DEFAULT_MAX_ORBS` (8) as orbs, the strongest: Nina Simone's twelve make eight.
 */
export const SEED_RELATIONSHIPS: Array<[source: string, target: string, type: string, description: string]> = [
  ['Wizkid', 'Fela Kuti', 'ancestor', 'Afrobeat pioneer whose rhythms run through Afrobeats'],
  ['Wizkid', 'Sade', 'influence', 'Smooth soul phrasing Wizkid cites as an influence'],
  ['Burna Boy', 'Fela Kuti', 'ancestor', 'Burna Boy grew up on Fela; his grandfather managed him'],
  ['Burna Boy', 'Damian Marley', 'peer', 'Collaborators across Afrofusion and reggae'],
  ['Fela Kuti', 'James Brown', 'influence', "Influenced Fela's funk style"],
  ['Fela Kuti', 'Tony Allen', 'collaborator', "Fela's legendary drummer"],
  ['Nina Simone', 'Billie Holiday', 'ancestor', "Nina Simone recorded 'Strange Fruit' (1965), the song Billie Holiday made famous"],
  ['Nina Simone', 'Miriam Makeba', 'contemporary', 'Friends, and voices of the freedom struggles of the 1960s'],
  ['Nina Simone', 'Aretha Franklin', 'peer', "Aretha Franklin recorded Simone's 'Young, Gifted and Black' (1972)"],
  ['Nina Simone', 'Erykah Badu', 'influenced', 'Erykah Badu names Nina Simone among her influences'],
  ['Nina Simone', 'Lauryn Hill', 'influenced', "Lauryn Hill sang six songs on the tribute album 'Nina Revisited' (2015)"],
  ['Nina Simone', 'Mary J. Blige', 'influenced', 'Mary J. Blige inducted Nina Simone into the Rock and Roll Hall of Fame (2018)'],
  ['Nina Simone', 'Meshell Ndegeocello', 'influenced', "Meshell Ndegeocello's 'Pour une âme souveraine' (2012) is dedicated to Nina Simone"],
  ['Nina Simone', 'David Bowie', 'influenced', "David Bowie recorded 'Wild Is the Wind' (1976) after meeting Nina Simone"],
  ['Nina Simone', 'Jeff Buckley', 'influenced', "Jeff Buckley's 'Lilac Wine' (1994) follows Nina Simone's recording"],
  ['Nina Simone', 'Talib Kweli', 'influenced', "Talib Kweli's 'Get By' (2002) is built on a sample of 'Sinnerman'"],
  ['Nina Simone', 'Kanye West', 'influenced', "Kanye West's 'Blood on the Leaves' (2013) samples Simone's 'Strange Fruit'"],
  ['Nina Simone', 'Jay-Z', 'influenced', "Jay-Z's 'The Story of O.J.' (2017) samples 'Four Women'"],
];
