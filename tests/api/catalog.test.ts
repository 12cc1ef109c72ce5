import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desc, eq } from 'drizzle-orm';
import { call, getDb } from '../helpers';
import { courses, lessons } from '@db/schema';
import { importCourseLibrary, listCourses } from '@server/modules/catalog/service';
import { PackageError } from '@server/lib/package-error';

const FIXTURES = 'tests/fixtures/courses';

beforeAll(() => {
  importCourseLibrary(getDb(), FIXTURES);
});

async function slugs(query: string): Promise<string[]> {
  const res = await call(`/api/courses${query}`);
  expect(res.status).toBe(200);
  return (await res.json()).courses.map((c: { slug: string }) => c.slug).sort();
}

describe('catalog search', () => {
  it('finds ң ө ү when н о у are typed, in any case', async () => {
    expect(await slugs(`?q=${encodeURIComponent('кызматчылар учун')}`)).toEqual(['public-service-basics']);
    expect(await slugs(`?q=${encodeURIComponent('КЫЗМАТЧЫЛАР ҮЧҮН')}`)).toEqual(['public-service-basics']);
  });
  it('treats ё as е and needs every word', async () => {
    expect(await slugs(`?q=${encodeURIComponent('ФИШИНГ пароли')}`)).toEqual(['ru-digital']);
    expect(await slugs(`?q=${encodeURIComponent('фишинг муниципалдык')}`)).toEqual([]);
  });
  it('matches the start of a word, so a stem finds its inflected forms', async () => {
    expect(await slugs(`?q=${encodeURIComponent('коопсуз')}`)).toEqual(['ru-digital']);
  });
});

describe('catalog filters', () => {
  it('filters by language the course is complete in', async () => {
    expect(await slugs('?lang=ru')).toEqual(['ru-digital']);
    expect(await slugs('?lang=ky')).toEqual(['public-service-basics', 'ru-digital']);
  });
  it('filters by category, audience, group and hours', async () => {
    expect(await slugs('?category=digital')).toEqual(['ru-digital']);
    expect(await slugs('?service=state')).toEqual(['ru-digital']);
    expect(await slugs('?service=municipal')).toEqual(['public-service-basics', 'ru-digital']);
    expect(await slugs('?group=highest')).toEqual(['ru-digital']);
    expect(await slugs('?hoursMin=25')).toEqual(['public-service-basics']);
    expect(await slugs('?hoursMax=8')).toEqual(['ru-digital']);
  });
  it('takes empty values as not given, as an HTML form sends them', async () => {
    expect(await slugs('?q=&category=&lang=')).toEqual(['public-service-basics', 'ru-digital']);
  });
  it('refuses a value outside the vocabulary with the field named', async () => {
    const res = await call('/api/courses?category=astrology');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_input', field: 'category' } });
    const hours = await call('/api/courses?hoursMin=lots');
    expect(await hours.json()).toEqual({ error: { code: 'invalid_input', field: 'hoursMin' } });
  });
  it('sorts by title in the reader’s language', () => {
    const ru = listCourses(getDb(), {}, 'ru').map((c) => c.slug);
    // "Информационная…" before the Kyrgyz-only title shown as fallback "Муниципалдык…"
    expect(ru).toEqual(['ru-digital', 'public-service-basics']);
  });
});

describe('course page data', () => {
  it('gives the outline with both languages and no lesson texts', async () => {
    const res = await call('/api/courses/ru-digital');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.title).toEqual({ ky: 'Маалыматтык коопсуздук', ru: 'Информационная безопасность' });
    expect(body.languages).toEqual(['ky', 'ru']);
    expect(body.modules[0].lessons[0]).toMatchObject({ slug: '01-passwords', minutes: 20, kind: 'practice' });
    expect(JSON.stringify(body)).not.toContain('О паролях');
  });
  it('marks a course with a missing translation as not available in that language', async () => {
    const body = await (await call('/api/courses/public-service-basics')).json();
    expect(body.languages).toEqual(['ky']);
    expect(body.title.ru).toBeNull();
  });
  it('answers 404 with a code for an unknown course', async () => {
    const res = await call('/api/courses/no-such-course');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'course_not_found' } });
  });
});

describe('course package import', () => {
  function copyFixtures(): string {
    const dir = mkdtempSync(join(tmpdir(), 'bilim-courses-'));
    cpSync(FIXTURES, dir, { recursive: true });
    return dir;
  }

  it('is idempotent and picks up a changed package', () => {
    const dir = copyFixtures();
    try {
      expect(importCourseLibrary(getDb(), dir).map((r) => r.result)).toEqual(['unchanged', 'unchanged']);
      writeFileSync(join(dir, 'ru-digital/lessons/01-passwords.ru.md'), 'Новый текст урока.\n');
      expect(importCourseLibrary(getDb(), dir).find((r) => r.slug === 'ru-digital')?.result).toBe('updated');
      // A changed package is a new course version: the newest lesson row carries the new text.
      const body = getDb().select().from(lessons).where(eq(lessons.slug, '01-passwords')).orderBy(desc(lessons.id)).get()!.bodyRu;
      expect(body).toBe('Новый текст урока.\n');
    } finally {
      rmSync(dir, { recursive: true });
      importCourseLibrary(getDb(), FIXTURES);
    }
  });

  it('rejects a broken package with the file and the reason, and imports nothing', () => {
    const dir = copyFixtures();
    try {
      const before = getDb().select().from(courses).all();
      writeFileSync(join(dir, 'public-service-basics/lessons/01-start.ky.md'), 'Өзгөргөн текст.\n');
      const broken = JSON.parse(JSON.stringify({ slug: 'ru-digital', category: 'cooking' }));
      writeFileSync(join(dir, 'ru-digital/course.json'), JSON.stringify(broken));
      let error: unknown;
      try {
        importCourseLibrary(getDb(), dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PackageError);
      expect((error as PackageError).file).toBe(join(dir, 'ru-digital/course.json'));
      expect((error as PackageError).reason).toMatch(/^category:/);
      // the valid package in the same run was not imported either
      expect(getDb().select().from(courses).all()).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('rejects invalid JSON, a missing lesson text and a slug that differs from its folder', () => {
    const dir = copyFixtures();
    try {
      const file = join(dir, 'ru-digital/course.json');
      writeFileSync(file, '{ "slug": ');
      expect(() => importCourseLibrary(getDb(), dir)).toThrow(/course\.json: not valid JSON/);
      const manifest = JSON.parse(JSON.stringify(require('../fixtures/courses/ru-digital/course.json')));
      manifest.slug = 'other-slug';
      writeFileSync(file, JSON.stringify(manifest));
      expect(() => importCourseLibrary(getDb(), dir)).toThrow(/differs from folder/);
      manifest.slug = 'ru-digital';
      writeFileSync(file, JSON.stringify(manifest));
      rmSync(join(dir, 'ru-digital/lessons'), { recursive: true });
      expect(() => importCourseLibrary(getDb(), dir)).toThrow(/01-passwords\.ky\.md: lesson text missing/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
