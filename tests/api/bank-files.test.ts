import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo, DEMO_PASSWORD } from '../helpers';
import { courseDrafts, users } from '@db/schema';
import { createPerson } from '@server/modules/people/service';
import { createDraft, getDraft } from '@server/modules/authoring/service';
import { readAiken, readGift, readMoodleXml } from '@server/modules/authoring/bank-formats';

let trainer: string;
let otherTrainer: string;
let reviewer: string;
let learner: string;
let trainerActor: { id: number; roles: ('trainer' | 'learner')[] };

const XML = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n${body}\n</quiz>\n`;
const q = (type: string, text: string, inner: string, extra = '') =>
  `<question type="${type}"><name><text>${text}</text></name><questiontext format="html"><text><![CDATA[<p>${text}</p>]]></text></questiontext><defaultgrade>1</defaultgrade>${extra}${inner}</question>`;
const ans = (fraction: number, text: string, feedback = '') => `<answer fraction="${fraction}" format="html"><text>${text}</text><feedback><text>${feedback}</text></feedback></answer>`;

/** A Moodle XML export as Moodle 4 writes one: a category, then every kind that maps onto ours, and two that do not. */
const MOODLE = XML(
  [
    `<question type="category"><category><text>$course$/top/Этика</text></category><info format="html"><text></text></info></question>`,
    q('multichoice', 'Что такое конфликт интересов?', `<single>true</single>${ans(100, 'Личная выгода мешает службе', 'Верно')}${ans(0, 'Отпуск')}${ans(0, 'Премия')}`),
    q('multichoice', 'Что относится к подаркам?', `<single>false</single>${ans(50, 'Цветы')}${ans(50, 'Конфеты')}${ans(-100, 'Служебная машина')}`),
    q('multichoiceset', 'Выберите обязанности служащего', `${ans(50, 'Декларировать доходы')}${ans(50, 'Сообщать о конфликте')}${ans(0, 'Принимать подарки')}`),
    q('truefalse', 'Подарки дороже 3 РП можно принимать', `${ans(0, 'true')}${ans(100, 'false')}`),
    q('shortanswer', 'Как называется закон о госслужбе?', `<usecase>0</usecase>${ans(100, 'О государственной службе')}${ans(50, 'О службе')}`),
    q('numerical', 'Сколько дней на декларацию?', `${ans(100, '30', '')}`.replace('</text><feedback>', '</text><tolerance>2</tolerance><feedback>')),
    q('matching', 'Сопоставьте', `<subquestion format="html"><text>Взятка</text><answer><text>Уголовный кодекс</text></answer></subquestion><subquestion format="html"><text>Подарок</text><answer><text>Закон об этике</text></answer></subquestion><subquestion format="html"><text></text><answer><text>Трудовой кодекс</text></answer></subquestion>`),
    q('ordering', 'Расположите по порядку', `${ans(1, 'Заявление')}${ans(2, 'Проверка')}${ans(3, 'Решение')}`),
    q('essay', 'Опишите случай', `<responseformat>editor</responseformat><graderinfo format="html"><text></text></graderinfo>`),
    q('ddwtos', 'Перетащите слова', '<dragbox><text>x</text></dragbox>'),
    q('calculated', 'Вычислите', ''),
  ].join('\n'),
);

function form(fields: Record<string, string>, file: { name: string; bytes: Uint8Array | string }) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  f.set('file', new File([(typeof file.bytes === "string" ? new TextEncoder().encode(file.bytes) : file.bytes) as Uint8Array<ArrayBuffer>], file.name));
  return f;
}
const preview = (id: number, format: string, lang: string, bytes: Uint8Array | string, cookie = trainer) =>
  call(`/api/author/drafts/${id}/questions/import/preview`, { method: 'POST', cookie, body: form({ format, lang }, { name: `f.${format}`, bytes }) });
const apply = (id: number, revision: number, format: string, lang: string, bytes: Uint8Array | string, cookie = trainer) =>
  call(`/api/author/drafts/${id}/questions/import`, { method: 'POST', cookie, body: form({ format, lang, revision: String(revision) }, { name: `f.${format}`, bytes }) });
const bankOf = (id: number) => getDraft(getDb(), id).content.questions;
let n = 0;
const newDraft = () => createDraft(getDb(), { slug: `bank-files-${++n}`, titleKy: 'Банк', titleRu: 'Банк' }, trainerActor);

beforeAll(async () => {
  await withDemo();
  trainer = await signIn('trainer@demo.kg');
  reviewer = await signIn('reviewer@demo.kg');
  learner = await signIn('learner@demo.kg');
  const t = getDb().select().from(users).where(eq(users.email, 'trainer@demo.kg')).get()!;
  trainerActor = { id: t.id, roles: ['learner', 'trainer'] };
  await createPerson(getDb(), { email: 'trainer3@demo.kg', password: DEMO_PASSWORD, fullName: 'Үчүнчү Окутуучу', organisationId: t.organisationId, positionTitle: 'Окутуучу', locale: 'ru', roles: [{ role: 'trainer' }] });
  otherTrainer = await signIn('trainer3@demo.kg');
});

describe('importing a Moodle XML bank', () => {
  it('previews a line per question (kind, language, what is created, errors), then applies every valid line in one revision', async () => {
    const d = newDraft();
    const res = await preview(d.id, 'moodle', 'ru', MOODLE);
    expect(res.status).toBe(200);
    const plan = await res.json();
    expect(plan.lines.map((l: any) => [l.sourceKind, l.kind, l.action])).toEqual([
      ['multichoice', 'single', 'create'],
      ['multichoice', 'multiple', 'create'],
      ['multichoiceset', 'multiple', 'create'],
      ['truefalse', 'truefalse', 'create'],
      ['shortanswer', 'short', 'create'],
      ['numerical', 'numeric', 'create'],
      ['matching', 'matching', 'create'],
      ['ordering', 'ordering', 'create'],
      ['essay', 'essay', 'create'],
      ['ddwtos', null, 'error'],
      ['calculated', null, 'error'],
    ]);
    expect(plan.lines[0]).toMatchObject({ languages: ['ru'], dropped: ['answer_feedback'], text: 'Что такое конфликт интересов?' });
    expect(plan.lines[4].dropped).toEqual(['partial_answers']);
    expect(plan.lines[9].errors).toEqual([{ code: 'import_kind_unsupported' }]);
    expect(plan.newCategories).toEqual([{ id: 'etika', title: { ky: '', ru: 'Этика' } }]);
    expect(plan).toMatchObject({ create: 9, exists: 0, errors: 2 });
    // preview saves nothing
    expect(bankOf(d.id).questions).toHaveLength(0);

    const done = await apply(d.id, plan.revision, 'moodle', 'ru', MOODLE);
    expect(done.status).toBe(200);
    const bank = bankOf(d.id);
    expect(bank.questions).toHaveLength(9);
    expect(getDraft(getDb(), d.id).revision).toBe(plan.revision + 1);
    const byKind = Object.fromEntries(bank.questions.map((x: any) => [x.kind === 'multiple' ? `${x.kind}-${x.partialCredit}` : x.kind, x]));
    expect(byKind.single.choices.map((c: any) => c.correct)).toEqual([true, false, false]);
    expect(byKind['multiple-true'].choices.map((c: any) => c.correct)).toEqual([true, true, false]);
    expect(byKind['multiple-false'].choices.map((c: any) => c.correct)).toEqual([true, true, false]);
    expect(byKind.truefalse.correct).toBe(false);
    expect(byKind.short.answers).toEqual({ ky: [], ru: ['О государственной службе'] });
    expect(byKind.numeric).toMatchObject({ value: 30, tolerance: 2 });
    expect(byKind.matching.pairs).toHaveLength(2);
    expect(byKind.matching.distractors).toEqual([{ ky: '', ru: 'Трудовой кодекс' }]);
    expect(byKind.ordering.items.map((i: any) => i.ru)).toEqual(['Заявление', 'Проверка', 'Решение']);
    expect(byKind.essay.rubric).toHaveLength(1);
    // the Kyrgyz side is missing and listed as such, as for a question typed in one language
    const view = await (await call(`/api/author/drafts/${d.id}/questions`, { cookie: trainer })).json();
    expect(view.questions[0].missing).toContain('text.ky');

    // same file again: every question is found, nothing added
    const again = await preview(d.id, 'moodle', 'ru', MOODLE);
    expect(await again.json()).toMatchObject({ create: 0, exists: 9, errors: 2 });
    const twice = await apply(d.id, getDraft(getDb(), d.id).revision, 'moodle', 'ru', MOODLE);
    expect(twice.status).toBe(409);
    expect((await twice.json()).error.code).toBe('import_nothing_new');
    expect(bankOf(d.id).questions).toHaveLength(9);
  });

  it('gives the same plan for the same file every time (ids from the content)', () => {
    const a = readMoodleXml(MOODLE, 'ru');
    const b = readMoodleXml(MOODLE, 'ru');
    expect(a).toEqual(b);
  });

  it('refuses entity expansion (billion laughs), external entities and deep nesting before parsing', async () => {
    const d = newDraft();
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><quiz><question type="truefalse"><questiontext><text>&lol2;</text></questiontext></question></quiz>`;
    const xxe = `<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><quiz><question type="truefalse"><questiontext><text>&xxe;</text></questiontext></question></quiz>`;
    for (const x of [laughs, xxe]) {
      const res = await preview(d.id, 'moodle', 'ky', x);
      expect(res.status).toBe(422);
      expect((await res.json()).error).toMatchObject({ code: 'import_xml_doctype', field: 'file' });
    }
    const deep = XML(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`);
    const res = await preview(d.id, 'moodle', 'ky', deep);
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('import_xml_too_deep');
    const broken = await preview(d.id, 'moodle', 'ky', '<quiz><question type="truefalse">');
    expect((await broken.json()).error.code).toBe('import_unreadable');
  });

  it('bounds the file size and the number of questions', async () => {
    const d = newDraft();
    const big = await preview(d.id, 'gift', 'ky', 'x'.repeat(5_000_001));
    expect(big.status).toBe(413);
    const many = Array.from({ length: 1001 }, (_, i) => `Суроо ${i} {T}`).join('\n\n');
    const res = await preview(d.id, 'gift', 'ky', many);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('import_too_many_questions');
    const empty = await preview(d.id, 'aiken', 'ky', '');
    expect((await empty.json()).error.code).toBe('file_empty');
    const latin1 = await preview(d.id, 'gift', 'ky', new Uint8Array([0xc0, 0xe1, 0x7b, 0x54, 0x7d]));
    expect((await latin1.json()).error.code).toBe('file_encoding_unknown');
  });
});

describe('GIFT and Aiken', () => {
  it('reads every GIFT question form that maps onto a kind', () => {
    const gift = [
      '// комментарий',
      '$CATEGORY: $course$/top/Мыйзамдар',
      '',
      '::q1:: Пара алуу мыйзамга каршыбы? {T}',
      '',
      'Кайсы орган декларацияны кабыл алат? {=Мамлекеттик кадр кызматы ~Парламент#жок ~Сот}',
      '',
      'Белектер {~%50%Гүл ~%50%Момпосуй ~%-100%Автоунаа}',
      '',
      'Мыйзамдын аталышы {=Мамлекеттик кызмат жөнүндө =Мамкызмат жөнүндө}',
      '',
      'Декларация канча күндө? {#30:2}',
      '',
      'Дал келтириңиз {=Пара -> Кылмыш =Белек -> Этика =Кызмат -> Эмгек}',
      '',
      'Окуяны сүрөттөңүз {}',
      '',
      'Туура эмес \\{кашаа\\} белги {F}',
    ].join('\n');
    const parsed = readGift(gift, 'ky');
    expect(parsed.map((p) => p.question.kind)).toEqual(['truefalse', 'single', 'multiple', 'short', 'numeric', 'matching', 'essay', 'truefalse']);
    expect(parsed[0]!.category).toEqual({ title: { ky: 'Мыйзамдар', ru: '' } });
    expect(parsed[1]!.dropped).toEqual(['answer_feedback']);
    expect(parsed[2]!.question.choices).toEqual([
      { text: { ky: 'Гүл', ru: '' }, correct: true },
      { text: { ky: 'Момпосуй', ru: '' }, correct: true },
      { text: { ky: 'Автоунаа', ru: '' }, correct: false },
    ]);
    expect(parsed[4]!.question).toMatchObject({ value: 30, tolerance: 2 });
    expect(parsed[7]!.question.text).toEqual({ ky: 'Туура эмес {кашаа} белги', ru: '' });
  });

  it('imports an Aiken file and reports a question without ANSWER', async () => {
    const aiken = 'Кайсы туура?\nA) Биринчи\nB) Экинчи\nC) Үчүнчү\nANSWER: B\n\nЖоопсуз суроо\nA. Бир\nB. Эки\n';
    const parsed = readAiken(aiken, 'ky');
    expect(parsed).toHaveLength(2);
    expect(parsed[0]!.question.choices).toEqual([
      { text: { ky: 'Биринчи', ru: '' }, correct: false },
      { text: { ky: 'Экинчи', ru: '' }, correct: true },
      { text: { ky: 'Үчүнчү', ru: '' }, correct: false },
    ]);
    const d = newDraft();
    const plan = await (await preview(d.id, 'aiken', 'ky', aiken)).json();
    expect(plan.lines.map((l: any) => [l.action, l.errors.map((e: any) => e.code)])).toEqual([['create', []], ['error', ['import_answer_missing']]]);
    expect(plan.newCategories[0].id).toBe('imported');
    expect((await apply(d.id, plan.revision, 'aiken', 'ky', aiken)).status).toBe(200);
    expect(bankOf(d.id).questions).toHaveLength(1);
  });
});

describe('export → import gives the same bank', () => {
  async function fullBank() {
    // a bilingual bank with every kind, made through the import of a Russian file then the Kyrgyz side through the API
    const d = newDraft();
    const plan = await (await preview(d.id, 'moodle', 'ru', MOODLE)).json();
    await apply(d.id, plan.revision, 'moodle', 'ru', MOODLE);
    const draft = getDraft(getDb(), d.id);
    let revision = draft.revision;
    const ky = (v: any): any => (Array.isArray(v) ? v.map(ky) : v && typeof v === 'object' ? (('ky' in v && 'ru' in v && Object.keys(v).length === 2 && typeof v.ru === 'string') ? { ky: v.ky || `КГ ${v.ru}`, ru: v.ru } : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ky(x)]))) : v);
    for (const question of draft.content.questions.questions as any[]) {
      const { id, ...rest } = ky(question);
      if (rest.kind === 'short') rest.answers = { ky: ['Мамлекеттик кызмат жөнүндө', '=формула эмес'], ru: question.answers.ru };
      const res = await call(`/api/author/drafts/${d.id}/questions/${id}`, { method: 'PUT', cookie: trainer, json: { revision, question: rest } });
      expect(res.status).toBe(200);
      revision = (await res.json()).revision;
    }
    const cat = draft.content.questions.categories[0] as any;
    const res = await call(`/api/author/drafts/${d.id}/questions/categories/${cat.id}`, { method: 'PUT', cookie: trainer, json: { revision, title: { ky: 'Этика', ru: 'Этика (рус)' } } });
    expect(res.status).toBe(200);
    return d.id;
  }

  for (const format of ['moodle', 'xlsx'] as const) {
    it(`through ${format}`, async () => {
      const source = await fullBank();
      const before = bankOf(source);
      expect(before.questions).toHaveLength(9);
      const exported = await call(`/api/author/drafts/${source}/questions/export?format=${format}`, { cookie: trainer });
      expect(exported.status).toBe(200);
      const bytes = new Uint8Array(await exported.arrayBuffer());
      const target = newDraft();
      const plan = await (await preview(target.id, format, 'ky', bytes)).json();
      expect(plan).toMatchObject({ create: 9, errors: 0 });
      expect((await apply(target.id, plan.revision, format, 'ky', bytes)).status).toBe(200);
      expect(bankOf(target.id)).toEqual(before);
      // and into the source itself: everything is already there
      expect(await (await preview(source, format, 'ky', bytes)).json()).toMatchObject({ create: 0, exists: 9 });
      // exceljs is slow to load on a busy machine: a generous bound, not a timing assertion
    }, 60_000);
  }

  it('offers the empty XLSX template; the reviewer may export but not import', async () => {
    const tpl = await call('/api/author/questions/template', { cookie: trainer });
    expect(tpl.status).toBe(200);
    expect(tpl.headers.get('content-type')).toContain('spreadsheetml');
    const d = newDraft();
    const bytes = new Uint8Array(await tpl.arrayBuffer());
    expect((await (await preview(d.id, 'xlsx', 'ky', bytes)).json()).error.code).toBe('import_no_questions');
    expect((await call(`/api/author/drafts/${d.id}/questions/export?format=xlsx`, { cookie: reviewer })).status).toBe(200);
  });
});

describe('who may import and export', () => {
  it('only the draft’s own trainer (or an admin), only while it is a draft', async () => {
    const d = newDraft();
    const aiken = 'Суроо?\nA) Бир\nB) Эки\nANSWER: A\n';
    expect((await preview(d.id, 'aiken', 'ky', aiken, otherTrainer)).status).toBe(403);
    expect((await apply(d.id, d.revision, 'aiken', 'ky', aiken, otherTrainer)).status).toBe(403);
    expect((await call(`/api/author/drafts/${d.id}/questions/export`, { cookie: otherTrainer })).status).toBe(403);
    expect((await preview(d.id, 'aiken', 'ky', aiken, reviewer)).status).toBe(403);
    expect((await preview(d.id, 'aiken', 'ky', aiken, learner)).status).toBe(403);
    expect((await call(`/api/author/drafts/${d.id}/questions/export`, { cookie: learner })).status).toBe(403);
    expect((await call('/api/author/questions/template', { cookie: learner })).status).toBe(403);
    expect((await preview(d.id, 'aiken', 'ky', aiken, '')).status).toBe(401);
    expect((await preview(999999, 'aiken', 'ky', aiken)).status).toBe(404);
    // a stale revision is refused, nothing saved
    const ok = await apply(d.id, d.revision, 'aiken', 'ky', aiken);
    expect(ok.status).toBe(200);
    // submitted: locked
    const other = newDraft();
    const plan = await (await preview(other.id, 'aiken', 'ky', aiken)).json();
    // as if submitted for review (a complete draft is not needed for the lock)
    getDb().update(courseDrafts).set({ state: 'submitted' }).where(eq(courseDrafts.id, other.id)).run();
    const locked = await apply(other.id, plan.revision, 'aiken', 'ky', aiken);
    expect(locked.status).toBe(409);
    expect((await locked.json()).error.code).toBe('draft_locked');
    expect(bankOf(other.id).questions).toHaveLength(0);
  });

  it('refuses bad input with 4xx: unknown format, missing file, bad revision', async () => {
    const d = newDraft();
    const f = new FormData();
    f.set('format', 'docx');
    f.set('lang', 'ky');
    f.set('file', new File(['x'], 'x.txt'));
    expect((await call(`/api/author/drafts/${d.id}/questions/import/preview`, { method: 'POST', cookie: trainer, body: f })).status).toBe(400);
    const g = new FormData();
    g.set('format', 'gift');
    expect((await call(`/api/author/drafts/${d.id}/questions/import/preview`, { method: 'POST', cookie: trainer, body: g })).status).toBe(400);
    expect((await apply(d.id, 0, 'aiken', 'ky', 'Q\nA) a\nB) b\nANSWER: A')).status).toBe(400);
    expect((await call(`/api/author/drafts/${d.id}/questions/export?format=pdf`, { cookie: trainer })).status).toBe(400);
  });
});
