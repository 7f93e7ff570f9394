import type { EntityDTO } from '@mikro-orm/core';
import * as assets from './assets.js';
import * as auth from './auth.js';
import * as catalog from './catalog.js';
import * as discovery from './discovery.js';
import * as jobs from './jobs.js';
import * as journal from './journal.js';
import * as leaderboard from './leaderboard.js';
import * as mediaid from './mediaid.js';
import * as notifications from './notifications.js';
import * as session from './session.js';

/** Every entity, listed explicitly (no glob discovery on Node 20): each module exports only its entities. */
export const entities = [catalog, session, auth, jobs, assets, journal, discovery, mediaid, leaderboard, notifications].flatMap((m) => Object.values(m));

/** An entity's columns as a plain row (nullable columns are null, never undefined): what a repository hands out. */
export type Stored<E> = { [K in keyof EntityDTO<E>]-?: Exclude<EntityDTO<E>[K], undefined> };
