/** Entities added by later features (passport, constellations); the catalog and users are listed in orm.ts. */
export const extraEntities: never[] = [];
