import { Device, RefreshToken } from './auth.js';

/** Entities added by later features (devices, refresh tokens); the catalog and users are listed in orm.ts. */
export const extraEntities = [Device, RefreshToken];
