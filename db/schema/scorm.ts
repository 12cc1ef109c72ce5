import { sqliteTable, text, integer, real, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { enrolments } from './learning';

export type ScormVersion = '1.2' | '2004';

/** One launchable SCO of a package: an item of the default organisation that names a SCO resource. */
export type ScormSco = {
  /** the item's identifier in imsmanifest.xml */
  identifier: string;
  title: string;
  /** the launch file, relative to the package root, with the item's parameters */
  href: string;
  /** SCORM 1.2 adlcp:masteryscore (0–100), or null */
  masteryScore: number | null;
  /** SCORM 2004 imsss:minNormalizedMeasure with satisfiedByMeasure (−1…1), or null */
  scaledPassingScore: number | null;
};

/**
 * A SCORM package uploaded by an author, stored once by the SHA-256 of its zip; its files are unpacked
 * under the media folder (server/modules/scorm/package.ts) and served only from the content origin.
 */
export const scormPackages = sqliteTable('scorm_packages', {
  sha256: text('sha256').primaryKey(),
  version: text('version').$type<ScormVersion>().notNull(),
  /** the default organisation's title */
  title: text('title').notNull(),
  scos: text('scos', { mode: 'json' }).$type<ScormSco[]>().notNull(),
  /** bytes of the zip and of its files unpacked */
  bytes: integer('bytes').notNull(),
  unpackedBytes: integer('unpacked_bytes').notNull(),
  files: integer('files').notNull(),
  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * A learner's runtime data of one SCORM lesson in one enrolment (keyed like lesson_progress, so an
 * unchanged lesson keeps it across course versions): the CMI data model as the runtime committed it,
 * and what the completion rule reads from it.
 */
export const scormRuntime = sqliteTable(
  'scorm_runtime',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    enrolmentId: integer('enrolment_id')
      .notNull()
      .references(() => enrolments.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lessonSlug: text('lesson_slug').notNull(),
    contentHash: text('content_hash').notNull(),
    /** the highest commit sequence number applied; a commit with a lower or equal one changes nothing */
    seq: integer('seq').notNull(),
    /** the CMI data (`cmi` object as scorm-again renders it) */
    cmi: text('cmi', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** completed / incomplete / not attempted / unknown (1.2 statuses mapped onto 2004's) */
    completion: text('completion').notNull(),
    /** passed / failed / unknown */
    success: text('success').notNull(),
    /** score as a fraction 0…1, when the package reported one */
    score: real('score'),
    /** when the package first said completed / passed (never cleared) */
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
    passedAt: integer('passed_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('scorm_runtime_key_uq').on(t.enrolmentId, t.lessonSlug, t.contentHash), index('scorm_runtime_user_idx').on(t.userId)],
);

/**
 * A launch: a random token naming one package for one person, valid for hours. Package files are
 * served from the content origin to whoever holds the token in the path — no cookie is ever read
 * there, so the untrusted content never runs with the person's session.
 */
export const scormLaunches = sqliteTable(
  'scorm_launches',
  {
    token: text('token').primaryKey(),
    packageSha256: text('package_sha256')
      .notNull()
      .references(() => scormPackages.sha256, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** the SCO's launch file in the package */
    href: text('href').notNull(),
    /** the course lesson a learner launched (its runtime data is theirs); null: an author's or reviewer's preview */
    lessonId: integer('lesson_id'),
    /** the platform page's origin, the only window the runtime posts its data to */
    parentOrigin: text('parent_origin').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('scorm_launches_expires_idx').on(t.expiresAt)],
);
