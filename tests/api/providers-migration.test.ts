/**
 * Migration 0030 on a database of the old shape: free-text providers (courses.provider_ky/_ru, the
 * drafts' manifest.provider) become organisations of kind `provider`, courses and drafts point at them.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

const ACADEMY_KY = 'Мамлекеттик башкаруу академиясы';
const ACADEMY_RU = 'Академия государственного управления';

/** A database migrated up to the migration before the providers one, and a function to finish. */
function oldDatabase(): { sqlite: Database.Database; finish: () => void; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bilim-provmig-'));
  const all = join(process.cwd(), 'db/migrations');
  const journal = JSON.parse(readFileSync(join(all, 'meta/_journal.json'), 'utf8'));
  const mine = journal.entries.findIndex((e: { tag: string }) => e.tag.endsWith('_providers'));
  expect(mine).toBeGreaterThan(0);
  const before = join(dir, 'before');
  mkdirSync(join(before, 'meta'), { recursive: true });
  for (const entry of journal.entries.slice(0, mine)) copyFileSync(join(all, `${entry.tag}.sql`), join(before, `${entry.tag}.sql`));
  writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, mine) }));
  const sqlite = new Database(':memory:');
  migrate(drizzle(sqlite), { migrationsFolder: before });
  return {
    sqlite,
    finish: () => migrate(drizzle(sqlite), { migrationsFolder: all }),
    cleanup: () => {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Inserts a row filling every required column the test does not care about. */
function inserter(sqlite: Database.Database) {
  return (table: string, values: Record<string, unknown>): number => {
    const cols = (sqlite.prepare(`pragma table_info(${table})`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[]).filter((c) => !c.pk);
    const row: Record<string, unknown> = {};
    for (const c of cols) if (c.notnull && c.dflt_value === null) row[c.name] = /int|real/i.test(c.type) ? 1 : c.name.startsWith('audience') || c.name.startsWith('objectives') ? '[]' : 'x';
    Object.assign(row, values);
    const names = Object.keys(row);
    return Number(sqlite.prepare(`insert into ${table} (${names.map((n) => `"${n}"`).join(',')}) values (${names.map(() => '?').join(',')})`).run(...names.map((n) => row[n])).lastInsertRowid);
  };
}

const content = (provider: unknown) => JSON.stringify({ manifest: { slug: 'x', provider, title: { ky: 'Курс' }, modules: [] }, questions: { categories: [], questions: [] }, quizzes: { quizzes: [] } });

describe('migration 0030: free-text providers become organisations', () => {
  it('maps every name in use onto one organisation per provider, reusing an existing provider organisation', () => {
    const { sqlite, finish, cleanup } = oldDatabase();
    try {
      const insert = inserter(sqlite);
      const org = (values: Record<string, unknown>) => insert('organisations', { service: 'state', region: 'bishkek', created_at: 1, ...values });
      // the academy is already in the tree (as the demo and real installs have it)
      const academy = org({ kind: 'provider', name_ky: ACADEMY_KY, name_ru: ACADEMY_RU });
      // a state body with the same Russian name as a course's provider must not be taken for it
      const ministry = org({ kind: 'state_body', name_ky: 'Санарип министрлиги', name_ru: 'Цифровой центр' });
      const course = (slug: string, ky: string | null, ru: string | null) => insert('courses', { slug, status: 'published', provider_ky: ky, provider_ru: ru });
      // the academy written three ways: both names, Kyrgyz only with spaces, Russian only
      const c1 = course('a', ACADEMY_KY, ACADEMY_RU);
      const c2 = course('b', `  ${ACADEMY_KY} `, null);
      const c3 = course('c', null, ACADEMY_RU);
      // "one academy appears as two providers": linked only through a chain (d shares ky with e, e shares ru with f)
      const c4 = course('d', 'Санарип борбору', null);
      const c5 = course('e', 'Санарип борбору', 'Цифровой центр');
      const c6 = course('f', 'Санарип борбор', 'Цифровой центр');
      const c7 = course('g', null, null);
      const c8 = course('h', '', '  ');
      // drafts: one names a provider no course has, one the academy, one none; published content too
      const d1 = insert('course_drafts', { slug: 'new', state: 'draft', content: content({ ky: 'ПРООН', ru: 'ПРООН' }), created_at: 1, updated_at: 1 });
      const d2 = insert('course_drafts', { slug: 'a', state: 'published', content: content({ ru: ACADEMY_RU }), published_content: content({ ky: ACADEMY_KY }), created_at: 1, updated_at: 1 });
      const d3 = insert('course_drafts', { slug: 'empty', state: 'draft', content: content({}), created_at: 1, updated_at: 1 });
      // a trainer of the academy, a trainer elsewhere, a learner of the academy
      const user = (email: string, organisation: number) => insert('users', { email, full_name: email, organisation_id: organisation, created_at: 1 });
      const trainer = user('t@x.kg', academy);
      const otherTrainer = user('o@x.kg', ministry);
      const learner = user('l@x.kg', academy);
      for (const [u, role] of [[trainer, 'trainer'], [otherTrainer, 'trainer'], [learner, 'learner']] as const) insert('user_roles', { user_id: u, role });

      finish();

      const providers = sqlite.prepare("select id, name_ky, name_ru, code, service, region from organisations where kind = 'provider' order by id").all() as { id: number; name_ky: string; name_ru: string }[];
      expect(providers.map((p) => [p.name_ky, p.name_ru])).toEqual([
        [ACADEMY_KY, ACADEMY_RU],
        ['Санарип борбору', 'Цифровой центр'],
        ['ПРООН', 'ПРООН'],
      ]);
      const [, digital, undp] = providers.map((p) => p.id);
      expect(providers[0]!.id).toBe(academy);
      const providerOf = (id: number) => (sqlite.prepare('select provider_id from courses where id = ?').get(id) as { provider_id: number | null }).provider_id;
      expect([c1, c2, c3].map(providerOf)).toEqual([academy, academy, academy]);
      expect([c4, c5, c6].map(providerOf)).toEqual([digital, digital, digital]);
      expect([c7, c8].map(providerOf)).toEqual([null, null]);
      expect(providerOf(c5)).not.toBe(ministry);
      const cols = (sqlite.prepare('pragma table_info(courses)').all() as { name: string }[]).map((c) => c.name);
      expect(cols).not.toContain('provider_ky');
      expect(cols).not.toContain('provider_ru');

      const draft = (id: number) => sqlite.prepare('select content, published_content from course_drafts where id = ?').get(id) as { content: string; published_content: string | null };
      expect(JSON.parse(draft(d1).content).manifest.provider).toBe(undp);
      expect(JSON.parse(draft(d2).content).manifest.provider).toBe(academy);
      expect(JSON.parse(draft(d2).published_content!).manifest.provider).toBe(academy);
      expect(JSON.parse(draft(d3).content).manifest).not.toHaveProperty('provider');
      expect(JSON.parse(draft(d3).content).manifest.title).toEqual({ ky: 'Курс' });

      const providerOfUser = (id: number) => (sqlite.prepare('select provider_id from users where id = ?').get(id) as { provider_id: number | null }).provider_id;
      expect([providerOfUser(trainer), providerOfUser(otherTrainer), providerOfUser(learner)]).toEqual([academy, null, null]);
      // nothing of the mapping is left behind
      expect(sqlite.prepare("select name from sqlite_temp_master where type = 'table'").all()).toEqual([]);
      expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('on a database without courses or drafts, creates no organisation', () => {
    const { sqlite, finish, cleanup } = oldDatabase();
    try {
      finish();
      expect(sqlite.prepare('select count(*) n from organisations').get()).toEqual({ n: 0 });
    } finally {
      cleanup();
    }
  });
});
