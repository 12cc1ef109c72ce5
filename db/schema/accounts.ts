import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisations } from './organisations';
import type { AdminGroup, Gender, Locale, PostKind, Role, Service } from '../domain';

/** A person who signs in. Servants carry their service profile; staff of the academy may leave it empty. */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** stored lower-cased */
    email: text('email').notNull(),
    passwordHash: text('password_hash'),
    fullName: text('full_name').notNull(),
    organisationId: integer('organisation_id').references(() => organisations.id),
    positionTitle: text('position_title'),
    postKind: text('post_kind').$type<PostKind>(),
    /** administrative posts only */
    adminGroup: text('admin_group').$type<AdminGroup>(),
    service: text('service').$type<Service>(),
    gender: text('gender').$type<Gender>(),
    /** YYYY-MM-DD */
    appointmentDate: text('appointment_date'),
    locale: text('locale').$type<Locale>().notNull().default('ky'),
    lockedAt: integer('locked_at', { mode: 'timestamp_ms' }),
    /** personal identification number (ПИН / ИНН, 14 digits), set by HR; identifies a servant across bodies */
    personalNumber: text('personal_number'),
    /** set by HR on dismissal (with lockedAt); the record stays, HR may reactivate */
    dismissedAt: integer('dismissed_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** `<issuer> <sub>` of the single sign-on account linked to this person (through a verified claim, server/modules/auth/sso.ts) */
    ssoSubject: text('sso_subject'),
    /** the training provider (an organisation of kind `provider`) a trainer writes for; their new drafts name it */
    providerId: integer('provider_id').references(() => organisations.id),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email), index('users_org_idx').on(t.organisationId), uniqueIndex('users_personal_number_uq').on(t.personalNumber), uniqueIndex('users_sso_subject_uq').on(t.ssoSubject)],
);

/** Roles a user holds. An hr role is scoped to an organisation and its whole subtree. */
export const userRoles = sqliteTable(
  'user_roles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<Role>().notNull(),
    organisationId: integer('organisation_id').references(() => organisations.id),
  },
  (t) => [index('user_roles_user_idx').on(t.userId)],
);

/** Sessions as the Lucia guide teaches: the token is `<id>.<secret>`, only SHA-256(secret) is kept. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastVerifiedAt: integer('last_verified_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Failed sign-ins within the rate-limit window, per e-mail (`email:<address>`) and per client address
 * (`ip:<address>`). In the database, not in memory, so that every serving process counts the same
 * failures (SERVER_PROCESSES > 1) and a restart does not reset an attack. Rows older than the window
 * are deleted as new failures come.
 */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    /** when, in milliseconds */
    at: integer('at').notNull(),
  },
  (t) => [index('login_failures_key_idx').on(t.key, t.at), index('login_failures_at_idx').on(t.at)],
);
