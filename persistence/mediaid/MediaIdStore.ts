/** MediaID inputs and Coliseum reports (low-rate CRUD). */
import { randomBytes, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Orm } from '../orm.js';
import { ColiseumReport, MediaId } from '../entities/mediaid.js';
import { User } from '../entities/session.js';
import type { Stored } from '../entities/index.js';
import { AppError } from '../../systems/errors.js';
import type { MediaIdInputs } from '../../systems/mediaid/dna.js';
import { EMPTY_INPUTS } from '../../systems/mediaid/signals.js';

/** The MediaID as the owner sees it (ISO timestamps). */
export type MediaIdRecord = Pick<Stored<MediaId>, 'userId' | 'displayName' | 'email'> & {
  inputs: MediaIdInputs;
  createdAt: string | null;
  updatedAt: string | null;
};

/** Another user already uses this email (HTTP 409). */
export class EmailTakenError extends AppError<'CONFLICT'> {
  constructor() {
    super('CONFLICT', 'this email is already on another MediaID; use another address', [{ field: 'email', message: 'is already used' }]);
  }
}

const toRecord = (userId: string, m: Omit<MediaId, 'userId'> | null): MediaIdRecord =>
  m
    ? {
        userId,
        displayName: m.displayName ?? null,
        email: m.email ?? null,
        inputs: {
          interests: m.interests,
          genrePreferences: m.genrePreferences,
          contentFlags: m.contentFlags,
          locationCode: m.locationCode ?? null,
          privacy: { ...EMPTY_INPUTS.privacy, ...m.privacySettings },
        },
        createdAt: m.createdAt.toISOString(),
        updatedAt: m.updatedAt.toISOString(),
      }
    : { userId, displayName: null, email: null, inputs: { ...EMPTY_INPUTS, privacy: { ...EMPTY_INPUTS.privacy } }, createdAt: null, updatedAt: null };

/** A report to store: the generated fields, and how long its share link lives from `at`. */
export type NewReport = Omit<ColiseumReport, 'id' | 'format' | 'shareToken' | 'shareExpiresAt' | 'generatedAt'> & { shareTtlMs: number; at: Date };

export class MediaIdStore {
  constructor(private readonly orm: Orm) {}

  /** The user's MediaID (defaults when never set); null when the user does not exist. */
  async get(userId: string): Promise<MediaIdRecord | null> {
    const em = this.orm.em.fork();
    const [user, m] = await Promise.all([em.count(User, { id: userId }), em.findOne(MediaId, { userId })]);
    return user ? toRecord(userId, m) : null;
  }

  /** The display name, else the email, of each of these users who gave one (DIA names the users it lists). */
  async namesOf(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.orm.em.fork().find(MediaId, { userId: { $in: [...userIds] } }, { fields: ['userId', 'displayName', 'email'] });
    return new Map(rows.flatMap((m) => (m.displayName || m.email ? [[m.userId, (m.displayName || m.email)!] as const] : [])));
  }

  /** Creates or replaces the user's MediaID. */
  async save(userId: string, inputs: MediaIdInputs, names: { displayName?: string | null; email?: string | null }, at: Date): Promise<MediaIdRecord> {
    const em = this.orm.em.fork();
    const current = await em.findOne(MediaId, { userId });
    const email = names.email === undefined ? (current?.email ?? null) : names.email;
    if (email && (await em.count(MediaId, { userId: { $ne: userId }, email: { $ilike: email.replace(/[\\%_]/g, (c) => `\\${c}`) } })) > 0)
      throw new EmailTakenError();
    const data = {
      userId,
      displayName: names.displayName === undefined ? (current?.displayName ?? null) : names.displayName,
      email,
      interests: inputs.interests,
      genrePreferences: inputs.genrePreferences,
      contentFlags: inputs.contentFlags,
      locationCode: inputs.locationCode,
      privacySettings: inputs.privacy,
      createdAt: current?.createdAt ?? at,
      updatedAt: at,
    };
    try {
      await em.upsert(MediaId, data);
    } catch (err) {
      // Two users claiming one email at the same moment: the unique index decides, the loser gets 409.
      if (err instanceof UniqueConstraintViolationException && /media_ids_email/.test(err.message)) throw new EmailTakenError();
      throw err;
    }
    return toRecord(userId, data);
  }

  /** Stores a generated report with a random share token valid for `shareTtlMs`. */
  async saveReport(r: NewReport): Promise<ColiseumReport> {
    const em = this.orm.em.fork();
    const { shareTtlMs, at, ...fields } = r;
    const report = em.create(ColiseumReport, {
      ...fields,
      id: randomUUID(),
      format: 'json',
      shareToken: randomBytes(24).toString('base64url'),
      shareExpiresAt: new Date(at.getTime() + shareTtlMs),
      generatedAt: at,
    });
    await em.insert(ColiseumReport, report);
    return report;
  }

  async report(id: string): Promise<ColiseumReport | null> {
    return this.orm.em.fork().findOne(ColiseumReport, { id });
  }

  /** Report history, newest first, without the report bodies (the list never loads a report's data). */
  async reports(query: { limit: number; type?: string; entityId?: string }): Promise<ColiseumReport[]> {
    const where = { ...(query.type ? { reportType: query.type } : {}), ...(query.entityId ? { entityId: query.entityId } : {}) };
    return this.orm.em
      .fork()
      .find(ColiseumReport, where, { orderBy: { generatedAt: 'desc', id: 'desc' }, limit: query.limit, exclude: ['reportData'] }) as Promise<ColiseumReport[]>;
  }

  async reportByShareToken(token: string): Promise<ColiseumReport | null> {
    return this.orm.em.fork().findOne(ColiseumReport, { shareToken: token });
  }
}
