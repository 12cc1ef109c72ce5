import { eq, inArray } from 'drizzle-orm';
import type { DB } from '@db/client';
import { settings } from '@db/schema';
import { recordAudit } from '../audit/service';

/** Plain settings: shown back to administrators. */
export const PLAIN_SETTINGS = [
  'smtpHost',
  'smtpPort',
  'smtpUser',
  'smtpFrom',
  'hrWebhookUrl',
  'platformNameKy',
  'platformNameRu',
  'contactsKy',
  'contactsRu',
  'contactEmail',
  'ssoIssuer',
  'ssoClientId',
  'ssoPersonalNumberClaim',
] as const;
/** Secret settings: stored, used by the server, and never returned by any page or API — only whether set. */
export const SECRET_SETTINGS = ['smtpPassword', 'hrWebhookSecret', 'ssoClientSecret'] as const;

export type PlainKey = (typeof PLAIN_SETTINGS)[number];
export type SecretKey = (typeof SECRET_SETTINGS)[number];
export type SettingsView = { [K in PlainKey]: string | null } & { [K in SecretKey]: { set: boolean } };
/** What an administrator sends: a plain value (null or '' clears it); a secret string replaces it, null clears it, absent keeps it. */
export type SettingsUpdate = Partial<{ [K in PlainKey]: string | null } & { [K in SecretKey]: string | null }>;

const SECRET_SET = new Set<string>(SECRET_SETTINGS);

/** The settings as an administrator may see them: secrets only as `{ set }`. */
export function getSettings(db: DB): SettingsView {
  const rows = new Map(db.select().from(settings).all().map((r) => [r.key, r.value]));
  const view = {} as Record<string, unknown>;
  for (const k of PLAIN_SETTINGS) view[k] = rows.get(k) ?? null;
  for (const k of SECRET_SETTINGS) view[k] = { set: rows.has(k) };
  return view as SettingsView;
}

/** A secret's value, for the server's own use (sending mail, signing webhooks) — never for a response. */
export function readSecret(db: DB, key: SecretKey): string | null {
  return db.select().from(settings).where(eq(settings.key, key)).get()?.value ?? null;
}

/** Saves the given keys in one transaction; the audit entry names the keys changed, never a secret value. */
export function updateSettings(db: DB, actor: { id: number; ip?: string | null }, update: SettingsUpdate, now = new Date()): SettingsView {
  const before = new Map(db.select().from(settings).all().map((r) => [r.key, r.value]));
  const changed: string[] = [];
  const plainChanges: Record<string, { from: string | null; to: string | null }> = {};
  db.transaction((tx) => {
    for (const [key, raw] of Object.entries(update)) {
      if (raw === undefined) continue;
      const value = typeof raw === 'string' && raw.trim() !== '' ? (SECRET_SET.has(key) ? raw : raw.trim()) : null;
      const old = before.get(key) ?? null;
      if (value === old) continue;
      if (value === null) tx.delete(settings).where(eq(settings.key, key)).run();
      else
        tx.insert(settings)
          .values({ key, value, updatedBy: actor.id, updatedAt: now })
          .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: actor.id, updatedAt: now } })
          .run();
      changed.push(key);
      if (!SECRET_SET.has(key)) plainChanges[key] = { from: old, to: value };
    }
    if (changed.length) {
      recordAudit(tx, { actorId: actor.id, action: 'settings.changed', targetType: 'settings', details: { keys: changed, values: plainChanges }, ip: actor.ip }, now);
    }
  });
  return getSettings(db);
}

/** The platform's name and contacts for every page's header and footer, in one language. */
export function platformIdentity(db: DB, locale: 'ky' | 'ru'): { name: string | null; contacts: string | null; email: string | null } {
  const keys = [locale === 'ky' ? 'platformNameKy' : 'platformNameRu', locale === 'ky' ? 'contactsKy' : 'contactsRu', 'contactEmail'];
  const rows = new Map(db.select().from(settings).where(inArray(settings.key, keys)).all().map((r) => [r.key, r.value]));
  return { name: rows.get(keys[0]!) ?? null, contacts: rows.get(keys[1]!) ?? null, email: rows.get('contactEmail') ?? null };
}
