/**
 * Training providers as organisations of the tree (issue #16): packages name them by code (an unknown
 * or wrong code is refused with the file and the reason), the library declares its own
 * (providers.json), drafts choose one from the list, trainers belong to one and their new drafts name
 * it, the catalog and certificates show the organisation's names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { auditLog, courses, organisations, users } from '@db/schema';
import { importCourseLibrary, listCourses } from '@server/modules/catalog/service';
import { PackageError } from '@server/lib/package-error';
import { createOrganisation } from '@server/modules/organisations/service';
import { loadedCourseFromDraft } from '@server/modules/authoring/service';
import { issueCertificate } from '@server/modules/certificates/service';
import { AppError } from '@server/lib/errors';

const dirs: string[] = [];
let admin: string;
let trainer: string;
let trainerId: number;
let learnerId: number;

/** A library holding a copy of the fixture course ru-digital naming `code`, and the given providers.json (or none). */
function library(code: string, providers?: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'bilim-providers-'));
  dirs.push(root);
  cpSync('tests/fixtures/courses/ru-digital', join(root, 'ru-digital'), { recursive: true });
  const file = join(root, 'ru-digital', 'course.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), provider: code }));
  if (providers !== undefined) writeFileSync(join(root, 'providers.json'), typeof providers === 'string' ? providers : JSON.stringify(providers));
  return root;
}
const refusal = (root: string): PackageError => {
  try {
    importCourseLibrary(getDb(), root);
  } catch (e) {
    if (e instanceof PackageError) return e;
    throw e;
  }
  throw new Error('imported');
};
const org = (values: Partial<typeof organisations.$inferInsert>) =>
  createOrganisation(getDb(), { kind: 'provider', service: 'state', region: 'bishkek', nameKy: 'Уюм', nameRu: 'Организация', ...values });
const providerIdOf = (slug: string) => getDb().select({ id: courses.providerId }).from(courses).where(eq(courses.slug, slug)).get()?.id;

beforeAll(async () => {
  await withDemo();
  admin = await signIn('admin@demo.kg');
  trainer = await signIn('trainer@demo.kg');
  trainerId = getDb().select().from(users).where(eq(users.email, 'trainer@demo.kg')).get()!.id;
  learnerId = getDb().select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!.id;
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('course packages name their provider by its organisation code', () => {
  it('refuses an unknown code, naming course.json and the reason; nothing is imported', () => {
    const root = library('NO-SUCH-CODE');
    const e = refusal(root);
    expect(e.file).toBe(join(root, 'ru-digital', 'course.json'));
    expect(e.reason).toMatch(/^provider: no organisation has the code "NO-SUCH-CODE"/);
    expect(providerIdOf('ru-digital')).toBeUndefined();
  });

  it('refuses the code of an organisation that is not a training provider, and of a closed one', () => {
    org({ kind: 'state_body', code: 'MIN-01', nameKy: 'Министрлик', nameRu: 'Министерство' });
    expect(refusal(library('MIN-01')).reason).toBe('provider: the organisation with the code "MIN-01" is not a training provider');
    org({ code: 'OLD-PROV', closedAt: new Date() });
    expect(refusal(library('OLD-PROV')).reason).toBe('provider: the training provider "OLD-PROV" is closed');
  });

  it('refuses a package without a provider, or with the old two-language names', () => {
    const root = library('X');
    const file = join(root, 'ru-digital', 'course.json');
    const { provider: _p, ...rest } = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify(rest));
    expect(refusal(root).reason).toMatch(/^provider: /);
    writeFileSync(file, JSON.stringify({ ...rest, provider: { ky: 'Академия', ru: 'Академия' } }));
    expect(refusal(root).reason).toMatch(/^provider: /);
  });

  it('imports a package naming an open provider; the catalog and the certificate show the organisation’s names, renamed at once', async () => {
    const digital = org({ code: 'DIG-01', nameKy: 'Санарип борбору', nameRu: 'Цифровой центр' });
    importCourseLibrary(getDb(), library('DIG-01'));
    expect(providerIdOf('ru-digital')).toBe(digital.id);
    const shown = async () => (await (await call('/api/courses/ru-digital')).json()).provider;
    expect(await shown()).toEqual({ ky: 'Санарип борбору', ru: 'Цифровой центр' });
    // the administrator renames the organisation: the catalog (cached) shows the new name at once
    const res = await call(`/api/admin/organisations/${digital.id}`, { method: 'PATCH', cookie: admin, json: { nameKy: 'Санарип өнүктүрүү борбору' } });
    expect(res.status).toBe(200);
    expect(await shown()).toEqual({ ky: 'Санарип өнүктүрүү борбору', ru: 'Цифровой центр' });
    expect(listCourses(getDb(), {}, 'ky').find((c) => c.slug === 'ru-digital')?.providerKy).toBe('Санарип өнүктүрүү борбору');
    // a certificate names the provider as it is called when it is issued
    const cert = issueCertificate(getDb(), { userId: learnerId, courseId: getDb().select().from(courses).where(eq(courses.slug, 'ru-digital')).get()!.id, sourceRef: 'test:provider', completedAt: new Date() });
    expect([cert.issuerKy, cert.issuerRu]).toEqual(['Санарип өнүктүрүү борбору', 'Цифровой центр']);
  });
});

describe('providers.json: the training providers a library declares', () => {
  const declared = (code: string, ky: string, ru: string) => ({ providers: [{ code, name: { ky, ru }, service: 'state', region: 'osh' }] });

  it('creates a declared provider no organisation has, with its code, names, service and region', () => {
    importCourseLibrary(getDb(), library('NEW-PROV', declared('NEW-PROV', 'Жаңы окутуучу уюм', 'Новая обучающая организация')));
    const made = getDb().select().from(organisations).where(eq(organisations.code, 'NEW-PROV')).get()!;
    expect(made).toMatchObject({ kind: 'provider', nameKy: 'Жаңы окутуучу уюм', nameRu: 'Новая обучающая организация', service: 'state', region: 'osh', closedAt: null });
    expect(providerIdOf('ru-digital')).toBe(made.id);
    // importing again creates nothing more
    importCourseLibrary(getDb(), library('NEW-PROV', declared('NEW-PROV', 'Башка ат', 'Другое имя')));
    expect(getDb().select().from(organisations).where(eq(organisations.code, 'NEW-PROV')).all()).toHaveLength(1);
    expect(getDb().select().from(organisations).where(eq(organisations.code, 'NEW-PROV')).get()!.nameKy).toBe('Жаңы окутуучу уюм');
  });

  it('gives the code to the uncoded provider of the same name (one migrated from free text) instead of making a second', () => {
    const migrated = org({ nameKy: 'Ош окутуу борбору', nameRu: 'Ошский учебный центр' });
    importCourseLibrary(getDb(), library('OSH-TC', declared('OSH-TC', 'Ош окутуу борбору', 'Ошский учебный центр (ОУЦ)')));
    expect(getDb().select().from(organisations).where(eq(organisations.id, migrated.id)).get()!.code).toBe('OSH-TC');
    expect(providerIdOf('ru-digital')).toBe(migrated.id);
    expect(getDb().select().from(organisations).where(eq(organisations.nameKy, 'Ош окутуу борбору')).all()).toHaveLength(1);
  });

  it('refuses a code held by an organisation of another kind, a repeated code, and a malformed file', () => {
    org({ kind: 'local_government', code: 'AO-7', nameKy: 'Айыл өкмөтү', nameRu: 'Айыл окмоту' });
    const root = library('AO-7', declared('AO-7', 'Айыл өкмөтү', 'Айыл окмоту'));
    const e = refusal(root);
    expect(e.file).toBe(join(root, 'providers.json'));
    expect(e.reason).toBe('the code "AO-7" belongs to an organisation that is not a training provider');
    const twice = { providers: [...declared('DUP', 'А', 'А').providers, ...declared('DUP', 'Б', 'Б').providers] };
    expect(refusal(library('DUP', twice)).reason).toBe('the code "DUP" is listed twice');
    expect(refusal(library('X', '{ nope')).reason).toMatch(/^not valid JSON/);
    expect(refusal(library('X', { providers: [{ code: 'A B', name: { ky: 'a', ru: 'b' }, service: 'state', region: 'bishkek' }] })).reason).toMatch(/^providers\.0\.code: /);
    expect(refusal(library('X', { providers: [{ code: 'OK', name: { ky: 'a' }, service: 'state', region: 'bishkek' }] })).reason).toMatch(/^providers\.0\.name\.ru: /);
    // nothing of a refused library is written: no provider DUP
    expect(getDb().select().from(organisations).where(eq(organisations.code, 'DUP')).get()).toBeUndefined();
  });

  it('the shipped library declares the academy, and every shipped package names it', () => {
    const shipped = JSON.parse(readFileSync('courses/providers.json', 'utf8')).providers as { code: string }[];
    expect(shipped.map((p) => p.code)).toEqual(['AGUPKR']);
  });
});

describe('drafts choose their provider from the training providers', () => {
  async function create(slug: string, cookie = trainer) {
    const res = await call('/api/author/drafts', { method: 'POST', cookie, json: { slug, titleKy: 'Курс' } });
    expect(res.status).toBe(201);
    const id = (await res.json()).id as number;
    return (await (await call(`/api/author/drafts/${id}`, { cookie })).json()) as { id: number; revision: number; content: { manifest: Record<string, unknown> } };
  }
  const save = (d: { id: number; revision: number; content: { manifest: Record<string, unknown> } }, provider: unknown, cookie = trainer) =>
    call(`/api/author/drafts/${d.id}`, { method: 'PUT', cookie, json: { revision: d.revision, content: { manifest: { ...d.content.manifest, provider } } } });

  it('a trainer’s new draft names their provider; an administrator’s (no provider) names none', async () => {
    const academy = getDb().select().from(users).where(eq(users.id, trainerId)).get()!.providerId;
    expect(academy).not.toBeNull();
    expect((await create('prov-default')).content.manifest.provider).toBe(academy);
    expect((await create('prov-admin', admin)).content.manifest).not.toHaveProperty('provider');
  });

  it('refuses an organisation that is not a training provider (404), a closed one (409), free text (400)', async () => {
    const d = await create('prov-choose');
    const ministry = getDb().select().from(organisations).where(eq(organisations.kind, 'state_body')).get()!;
    const closed = org({ code: 'CLOSED-2', closedAt: new Date() });
    const wrong = await save(d, ministry.id);
    expect(wrong.status).toBe(404);
    expect(await wrong.json()).toEqual({ error: { code: 'provider_not_found', field: 'manifest.provider' } });
    expect(await (await save(d, 999_999)).json()).toEqual({ error: { code: 'provider_not_found', field: 'manifest.provider' } });
    const shut = await save(d, closed.id);
    expect(shut.status).toBe(409);
    expect((await shut.json()).error.code).toBe('provider_closed');
    expect((await save(d, { ky: 'Академия' })).status).toBe(400);
    expect((await save(d, 'AGUPKR')).status).toBe(400);
    // nothing was saved
    expect((await (await call(`/api/author/drafts/${d.id}`, { cookie: trainer })).json()).revision).toBe(d.revision);
    const other = org({ code: 'OTHER-P', nameKy: 'Башка уюм', nameRu: 'Другая организация' });
    expect((await save(d, other.id)).status).toBe(200);
  });

  it('a draft whose provider was closed since keeps saving, but does not publish until one is chosen again', async () => {
    const p = org({ code: 'SOON-CLOSED' });
    const d = await create('prov-closed-later');
    expect((await save(d, p.id)).status).toBe(200);
    getDb().update(organisations).set({ closedAt: new Date() }).where(eq(organisations.id, p.id)).run();
    const now = (await (await call(`/api/author/drafts/${d.id}`, { cookie: trainer })).json()) as typeof d;
    const again = await call(`/api/author/drafts/${d.id}`, { method: 'PUT', cookie: trainer, json: { revision: now.revision, content: { manifest: { ...now.content.manifest, hours: 3 } } } });
    expect(again.status).toBe(200);
    let field: string | undefined;
    try {
      loadedCourseFromDraft(getDb(), { slug: 'prov-closed-later', content: (await (await call(`/api/author/drafts/${d.id}`, { cookie: trainer })).json()).content, courseId: null });
    } catch (e) {
      field = e instanceof AppError ? e.field : undefined;
    }
    expect(field).toBe('manifest.provider');
  });
});

describe('trainers belong to a provider (set by an administrator)', () => {
  const put = (id: number, providerId: unknown, cookie = admin) => call(`/api/admin/people/${id}/provider`, { method: 'PUT', cookie, json: { providerId } });

  it('sets, shows and clears it, with an audit entry; refuses what is not an open provider', async () => {
    const centre = org({ code: 'CENTRE-9', nameKy: 'Окутуу борбору', nameRu: 'Учебный центр' });
    const res = await put(learnerId, centre.id);
    expect(res.status).toBe(200);
    expect((await res.json()).provider).toEqual({ id: centre.id, code: 'CENTRE-9', nameKy: 'Окутуу борбору', nameRu: 'Учебный центр' });
    const entry = getDb().select().from(auditLog).where(and(eq(auditLog.action, 'user.provider_set'), eq(auditLog.targetId, String(learnerId)))).get()!;
    expect(entry.details).toEqual({ from: null, to: centre.id });
    const state = getDb().select().from(organisations).where(eq(organisations.kind, 'state_body')).get()!;
    expect(await (await put(learnerId, state.id)).json()).toEqual({ error: { code: 'provider_not_found', field: 'providerId' } });
    expect((await put(learnerId, org({ code: 'SHUT-3', closedAt: new Date() }).id)).status).toBe(409);
    expect((await put(learnerId, 'CENTRE-9')).status).toBe(400);
    expect((await put(999_999, centre.id)).status).toBe(404);
    expect((await put(learnerId, centre.id, trainer)).status).toBe(403);
    const cleared = await put(learnerId, null);
    expect((await cleared.json()).provider).toBeNull();
  });

  it('a provider that courses or trainers name keeps its kind (409), another may change', async () => {
    const academy = getDb().select().from(users).where(eq(users.id, trainerId)).get()!.providerId!;
    const res = await call(`/api/admin/organisations/${academy}`, { method: 'PATCH', cookie: admin, json: { kind: 'state_body' } });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('provider_in_use');
    const unused = org({ code: 'UNUSED-1' });
    expect((await call(`/api/admin/organisations/${unused.id}`, { method: 'PATCH', cookie: admin, json: { kind: 'state_body' } })).status).toBe(200);
  });
});
