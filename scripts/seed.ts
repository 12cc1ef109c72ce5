import '@server/modules/providers';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { DB } from '@db/client';
import { courseModules, courses, lessons, organisations as orgTable, quizAttemptItems, quizQuestions, quizzes, users } from '@db/schema';
import { submitFeedback } from '@server/modules/feedback/service';
import { enrolmentInCourse, enrolSelf, openLesson, saveProgress } from '@server/modules/learning/service';
import { saveAnswer, startAttempt, submitAttempt } from '@server/modules/quiz/service';
import { questionType } from '@server/modules/quiz/types';
import { createOrganisation } from '@server/modules/organisations/service';
import { createPerson } from '@server/modules/people/service';
import { issueCertificate, revokeCertificate } from '@server/modules/certificates/service';
import { addOutsideTraining, reviewOutsideTraining } from '@server/modules/records/service';
import { loadSessionUser } from '@server/modules/auth/service';
import { addPlanLine, quarterOf } from '@server/modules/plan/service';
import { saveScan } from '@server/lib/uploads';
import { DEMO_PASSWORD } from '@server/modules/auth/demo';
import {
  addDocument, addPeople, applyToCompetition, campaignPeople, createCampaign, decideStage1, publishReserve, recordDecision, setCommission, setStage2Result, submitScores, updateCampaign,
} from '@server/modules/attestation/service';
import { createSession } from '@server/modules/attestation/testing';
import { bishkekDay } from '@server/lib/time';

export function isEmpty(db: DB): boolean {
  return db.select({ n: count() }).from(users).get()!.n === 0;
}

/**
 * Demo organisations and the demo accounts of shared/API.md. Only for demo mode: the start script
 * never calls this when NODE_ENV=production.
 */
export async function seedDemo(db: DB): Promise<void> {
  const ministry = createOrganisation(db, {
    kind: 'state_body', service: 'state', region: 'bishkek',
    nameKy: 'Кыргыз Республикасынын Финансы министрлиги', nameRu: 'Министерство финансов Кыргызской Республики',
  });
  const budget = createOrganisation(db, {
    parentId: ministry.id, kind: 'subunit', service: 'state', region: 'bishkek',
    nameKy: 'Бюджеттик саясат башкармалыгы', nameRu: 'Управление бюджетной политики',
  });
  createOrganisation(db, {
    parentId: ministry.id, kind: 'subunit', service: 'state', region: 'bishkek',
    nameKy: 'Ички аудит бөлүмү', nameRu: 'Отдел внутреннего аудита',
  });
  createOrganisation(db, {
    kind: 'state_body', service: 'state', region: 'bishkek',
    nameKy: 'Кыргыз Республикасынын Санариптик өнүктүрүү министрлиги', nameRu: 'Министерство цифрового развития Кыргызской Республики',
  });
  const osh = createOrganisation(db, {
    kind: 'local_government', service: 'municipal', region: 'osh_city',
    nameKy: 'Ош шаарынын мэриясы', nameRu: 'Мэрия города Ош',
  });
  const village = createOrganisation(db, {
    kind: 'local_government', service: 'municipal', region: 'osh',
    nameKy: 'Кара-Суу айыл өкмөтү', nameRu: 'Айыл окмоту Кара-Суу',
  });
  // The academy: the training provider of the shipped courses (courses/providers.json), already in
  // the tree when the course library was imported first (npm start does), else made here.
  const academyNames = {
    nameKy: 'Кыргыз Республикасынын Президентине караштуу Жусуп Абдрахманов атындагы Мамлекеттик башкаруу академиясы',
    nameRu: 'Академия государственного управления при Президенте Кыргызской Республики имени Жусупа Абдрахманова',
  };
  const academy =
    db.select().from(orgTable).where(and(eq(orgTable.kind, 'provider'), eq(orgTable.nameRu, academyNames.nameRu))).get() ??
    createOrganisation(db, { kind: 'provider', service: 'state', region: 'bishkek', code: 'AGUPKR', ...academyNames });

  const password = DEMO_PASSWORD;
  await createPerson(db, {
    email: 'learner@demo.kg', password, fullName: 'Айгүл Асанова', organisationId: budget.id,
    positionTitle: 'Башкы адис', postKind: 'administrative', adminGroup: 'senior', service: 'state',
    gender: 'female', appointmentDate: '2021-03-15', locale: 'ky',
  });
  await createPerson(db, {
    email: 'trainer@demo.kg', password, fullName: 'Бакыт Осмонов', organisationId: academy.id, providerId: academy.id,
    positionTitle: 'Окутуучу', locale: 'ky', roles: [{ role: 'learner' }, { role: 'trainer' }],
  });
  await createPerson(db, {
    email: 'hr@demo.kg', password, fullName: 'Нургүл Токтогулова', organisationId: ministry.id,
    positionTitle: 'Кадр кызматынын башчысы', postKind: 'administrative', adminGroup: 'main', service: 'state',
    gender: 'female', appointmentDate: '2018-09-01', locale: 'ky',
    roles: [{ role: 'learner' }, { role: 'hr', organisationId: ministry.id }],
  });
  await createPerson(db, {
    email: 'reviewer@demo.kg', password, fullName: 'Елена Ким', organisationId: academy.id,
    positionTitle: 'Методист', locale: 'ru', roles: [{ role: 'reviewer' }],
  });
  await createPerson(db, {
    email: 'admin@demo.kg', password, fullName: 'Тимур Жээнбеков', organisationId: academy.id,
    positionTitle: 'Платформанын администратору', locale: 'ky', roles: [{ role: 'admin' }],
  });
  await createPerson(db, {
    email: 'municipal@demo.kg', password, fullName: 'Эрлан Мамытов', organisationId: village.id,
    positionTitle: 'Жер маселелери боюнча адис', postKind: 'administrative', adminGroup: 'junior', service: 'municipal',
    gender: 'male', appointmentDate: '2019-06-03', locale: 'ky',
  });
  await createPerson(db, {
    email: 'ayil@demo.kg', password, fullName: 'Гүлзат Сыдыкова', organisationId: village.id,
    positionTitle: 'Социалдык маселелер боюнча адис', postKind: 'administrative', adminGroup: 'junior', service: 'municipal',
    gender: 'female', appointmentDate: '2022-10-17', locale: 'ky',
  });
  await createPerson(db, {
    email: 'osh@demo.kg', password, fullName: 'Динара Юсупова', organisationId: osh.id,
    positionTitle: 'Бөлүм башчысы', postKind: 'administrative', adminGroup: 'main', service: 'municipal',
    gender: 'female', appointmentDate: '2016-02-10', locale: 'ru',
  });
  // Attestation and reserve competitions (docs/attestation.md): an officer of the State Personnel
  // Service who runs campaigns, and a commission member. Not servants of a demo body, so no staff list counts them.
  await createPerson(db, {
    email: 'officer@demo.kg', password, fullName: 'Жыпар Сатыбалдиева', organisationId: null,
    positionTitle: 'Мамлекеттик кадр кызматынын башкы адиси', locale: 'ky', roles: [{ role: 'personnel_officer' }],
  });
  await createPerson(db, {
    email: 'commission@demo.kg', password, fullName: 'Асан Мурзаев', organisationId: null,
    positionTitle: 'Аттестациялык комиссиянын мүчөсү', locale: 'ky', roles: [{ role: 'commission_member' }],
  });
}

/** A one-page PDF, standing in for a scanned certificate in the demo verification queue. */
function demoScanPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    '', // contents, below
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const text = 'BT /F1 18 Tf 72 760 Td (Demo: certificate of an internship, 24 hours) Tj ET';
  objects[3] = `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

/**
 * Demo data for the HR plan, verification and reports (after seedDemo and the course import): a
 * regional department of the Ministry of Finance, servants there and in its internal audit unit,
 * platform completions (one certificate later revoked), outside trainings verified, rejected and one
 * waiting with a scan, and the ministry's plan for this year — all made through the services, so the
 * figures on the pages are real. Dates are counted back from `now`. Does nothing a second time.
 */
export async function seedHrReportsDemo(db: DB, now = new Date()): Promise<void> {
  const hrRow = db.select().from(users).where(eq(users.email, 'hr@demo.kg')).get();
  const adminRow = db.select().from(users).where(eq(users.email, 'admin@demo.kg')).get();
  if (!hrRow?.organisationId || !adminRow) return;
  if (db.select().from(users).where(eq(users.email, 'audit1@demo.kg')).get()) return;
  const ministryId = hrRow.organisationId;
  const audit = db.select().from(orgTable).where(and(eq(orgTable.parentId, ministryId), eq(orgTable.nameKy, 'Ички аудит бөлүмү'))).get();
  const regional = createOrganisation(db, {
    parentId: ministryId, kind: 'subunit', service: 'state', region: 'osh',
    nameKy: 'Финансы министрлигинин Ош облусу боюнча башкармалыгы', nameRu: 'Управление Министерства финансов по Ошской области',
  });
  const auditId = audit?.id ?? ministryId;
  const people = [
    { email: 'audit1@demo.kg', fullName: 'Азамат Бейшеев', organisationId: auditId, gender: 'male', adminGroup: 'senior', appointmentDate: '2020-02-03' },
    { email: 'audit2@demo.kg', fullName: 'Чолпон Кадырова', organisationId: auditId, gender: 'female', adminGroup: 'junior', appointmentDate: '2022-05-16' },
    { email: 'audit3@demo.kg', fullName: 'Улан Жумабаев', organisationId: auditId, gender: 'male', adminGroup: 'main', appointmentDate: '2017-11-20' },
    { email: 'oshfin1@demo.kg', fullName: 'Жылдыз Ташиева', organisationId: regional.id, gender: 'female', adminGroup: 'senior', appointmentDate: '2019-04-08' },
    { email: 'oshfin2@demo.kg', fullName: 'Бекзат Орозбаев', organisationId: regional.id, gender: 'male', adminGroup: 'junior', appointmentDate: '2023-01-09' },
    { email: 'oshfin3@demo.kg', fullName: 'Мээрим Абдыкадырова', organisationId: regional.id, gender: 'female', adminGroup: 'senior', appointmentDate: '2021-09-13' },
  ] as const;
  const ids: number[] = [];
  for (const p of people) {
    const u = await createPerson(db, {
      ...p, password: DEMO_PASSWORD, positionTitle: p.adminGroup === 'main' ? 'Башкы адис' : 'Адис', postKind: 'administrative', service: 'state', locale: 'ky',
    });
    ids.push(u.id);
  }
  const hr = loadSessionUser(db, hrRow.id)!;
  const admin = loadSessionUser(db, adminRow.id)!;
  const published = db.select().from(courses).where(eq(courses.status, 'published')).all().sort((a, b) => a.slug.localeCompare(b.slug));
  const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const day = (days: number) => ago(days).toISOString().slice(0, 10);
  const year = now.getUTCFullYear();
  const thisYear = (days: number) => ago(days).getUTCFullYear() === year;

  // platform completions: [person, course index, days ago]
  const completions: [number, number, number][] = [[0, 0, 250], [1, 0, 200], [2, 1, 150], [3, 1, 90], [4, 0, 30], [3, 0, 400]];
  const course = (i: number) => published[i % Math.max(1, published.length)];
  for (const [p, c, d] of completions) {
    if (!course(c)) continue;
    issueCertificate(db, { userId: ids[p]!, courseId: course(c)!.id, sourceRef: `demo-hr:${p}:${c}:${d}`, completedAt: ago(d) }, ago(d));
  }
  if (course(1)) {
    // a certificate revoked afterwards: it no longer counts anywhere
    const revoked = issueCertificate(db, { userId: ids[5]!, courseId: course(1)!.id, sourceRef: 'demo-hr:revoked', completedAt: ago(40) }, ago(40));
    revokeCertificate(db, revoked.code, admin, 'Тест башка адам тарабынан тапшырылганы аныкталды', null, ago(35));
  }

  // outside trainings: added by the servant, decided by HR
  const outside = [
    { p: 1, kind: 'advanced', term: 'medium', funding: 'state_order', title: 'Мамлекеттик финансыны башкаруу: квалификацияны жогорулатуу', provider: 'Мамлекеттик башкаруу академиясы', hours: 72, end: 170, len: 10, decision: 'verified' },
    { p: 3, kind: 'seminar', term: 'short', funding: 'donor', title: 'Гендердик бюджеттөө боюнча семинар', provider: 'ПРООН', hours: 16, end: 60, len: 2, decision: 'verified' },
    { p: 5, kind: 'seminar', term: 'short', funding: 'departmental', title: 'Ички контролдун стандарттары', provider: 'Финансы министрлигинин окуу борбору', hours: 8, end: 45, len: 1, decision: 'verified' },
    { p: 4, kind: 'retraining', term: 'long', funding: 'state_order', title: 'Мамлекеттик аудит: кайра даярдоо', provider: 'Кыргыз улуттук университети', hours: 500, end: 100, len: 120, decision: 'rejected' },
    { p: 2, kind: 'internship', term: 'short', funding: 'other', title: 'Эсептөө палатасындагы стажировка', provider: 'Кыргыз Республикасынын Эсептөө палатасы', hours: 24, end: 15, len: 3, decision: 'pending' },
  ] as const;
  for (const o of outside) {
    const servant = loadSessionUser(db, ids[o.p]!)!;
    const scan = o.decision === 'pending' ? { ...saveScan(demoScanPdf()), name: 'stajirovka-kubolugu.pdf' } : null;
    const entry = addOutsideTraining(db, servant, servant.id, {
      kind: o.kind, term: o.term, funding: o.funding, title: o.title, provider: o.provider, hours: o.hours,
      startDate: day(o.end + o.len), endDate: day(o.end), orderNumber: o.funding === 'state_order' ? `${120 + o.p}-к` : null, orderDate: o.funding === 'state_order' ? day(o.end + o.len + 7) : null, scan,
    }, ago(o.end - 1));
    if (o.decision === 'verified') reviewOutsideTraining(db, hr, entry.id, { status: 'verified' }, null, ago(o.end - 3));
    if (o.decision === 'rejected') reviewOutsideTraining(db, hr, entry.id, { status: 'rejected', reason: 'Документтин скан көчүрмөсү тиркелген эмес, буйруктун номери туура эмес.' }, null, ago(o.end - 3));
  }

  // the ministry's plan for this year: the quarters the demo trainings fall in, and more
  const q = (days: number) => (thisYear(days) ? quarterOf(day(days)) : 1);
  const lines = [
    ...(course(0) ? [{ type: 'course' as const, courseId: course(0)!.id, quarter: q(250), people: 3 }, { type: 'course' as const, courseId: course(0)!.id, quarter: q(30), people: 4 }] : []),
    ...(course(1) ? [{ type: 'course' as const, courseId: course(1)!.id, quarter: q(150), people: 2 }] : []),
    { type: 'topic' as const, topicKy: 'Мамлекеттик финансыны башкаруу', topicRu: 'Управление государственными финансами', kind: 'advanced' as const, term: 'medium' as const, quarter: q(170), people: 2 },
    { type: 'topic' as const, topicKy: 'Ички контроль жана бюджеттөө', topicRu: 'Внутренний контроль и бюджетирование', kind: 'seminar' as const, term: 'short' as const, quarter: q(45), people: 5 },
  ];
  for (const line of lines) addPlanLine(db, hr, { organisationId: ministryId, year, ...line }, null, now);
}

// ---------------------------------------------------------------------------------------------
// Academy demo: learners who took courses of the library, so the quality dashboard has real figures
// ---------------------------------------------------------------------------------------------

/** The courses of the library the academy demo learners take (those imported are used). */
export const ACADEMY_DEMO_COURSES = ['anti-corruption', 'digital-literacy-and-security', 'state-language-in-official-work'];

/**
 * Demo learners of two organisations of their own (so no other demo account's learning changes)
 * who enrol in library courses over the last months, view lessons, take the final test, and fill
 * in the end-of-course survey — all through the services a learner's requests go through, with
 * their dates. The dashboard computes its figures from these rows. Deterministic: a fixed seed.
 * Does nothing when none of the courses is imported.
 */
export async function seedAcademyDemo(db: DB, now = new Date()): Promise<{ people: number; enrolments: number }> {
  const available = db.select().from(courses).where(and(inArray(courses.slug, ACADEMY_DEMO_COURSES), eq(courses.status, 'published'))).all();
  if (available.length === 0) return { people: 0, enrolments: 0 };

  // mulberry32: the same demo every time
  let s = 20260315;
  const rand = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const between = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));
  const DAY = 86_400_000;

  const justice = createOrganisation(db, {
    kind: 'state_body', service: 'state', region: 'bishkek',
    nameKy: 'Кыргыз Республикасынын Юстиция министрлиги', nameRu: 'Министерство юстиции Кыргызской Республики',
  });
  const talas = createOrganisation(db, {
    kind: 'local_government', service: 'municipal', region: 'talas',
    nameKy: 'Талас шаарынын мэриясы', nameRu: 'Мэрия города Талас',
  });
  const names: [string, 'female' | 'male', 'ky' | 'ru'][] = [
    ['Азамат Бейшеев', 'male', 'ky'], ['Жыпар Абдыкалыкова', 'female', 'ky'], ['Мирлан Токтосунов', 'male', 'ru'],
    ['Чолпон Исакова', 'female', 'ky'], ['Улан Мырзабеков', 'male', 'ky'], ['Анара Кененбаева', 'female', 'ru'],
    ['Нурбек Сатаров', 'male', 'ky'], ['Айжан Жумабаева', 'female', 'ky'], ['Руслан Ким', 'male', 'ru'],
    ['Бермет Осмоналиева', 'female', 'ky'], ['Кубаныч Алиев', 'male', 'ky'], ['Гүлнара Турдубаева', 'female', 'ru'],
  ];
  const groups = ['junior', 'senior', 'main'] as const;
  const people = [];
  for (const [i, [fullName, gender, locale]] of names.entries()) {
    const municipal = i % 3 === 2;
    people.push(
      await createPerson(db, {
        email: `academy-demo-${String(i + 1).padStart(2, '0')}@demo.kg`, password: DEMO_PASSWORD, fullName,
        organisationId: municipal ? talas.id : justice.id, positionTitle: municipal ? 'Адис' : 'Башкы адис',
        postKind: 'administrative', adminGroup: groups[i % 3]!, service: municipal ? 'municipal' : 'state',
        gender, appointmentDate: `20${String(15 + (i % 8)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, locale,
      }),
    );
  }

  const comments = {
    ky: [
      'Кейстер абдан пайдалуу болду, биздин иш тажрыйбабызга жакын.',
      'Видеосабак кыска жана түшүнүктүү экен.',
      'Тесттеги айрым суроолор татаал болду, көбүрөөк мисал керек.',
      'Телефондон окууга ыңгайлуу, интернет начар болсо да ачылды.',
      'Документтердин үлгүлөрү көбүрөөк болсо жакшы болмок.',
    ],
    ru: [
      'Полезные кейсы, близкие к нашей работе.',
      'Хотелось бы больше образцов документов.',
      'Видео короткое и понятное.',
      'Некоторые вопросы итогового теста сформулированы сложно.',
    ],
  };
  const wrong = (kind: string, o: any): unknown => {
    if (kind === 'single') return { choice: o.choices.find((c: any) => !c.correct).id };
    if (kind === 'truefalse') return { value: !o.correct };
    return null; // left unanswered
  };

  let enrolmentCount = 0;
  for (const course of available) {
    // Each course has its own character: how hard its test is and how learners like it.
    const ease = 0.55 + rand() * 0.35;
    const liking = 3.2 + rand() * 1.4;
    const final = db.select().from(quizzes).where(and(eq(quizzes.courseId, course.id), eq(quizzes.kind, 'final'), eq(quizzes.active, true))).get();
    for (const p of people) {
      if (rand() < 0.25) continue;
      let t = now.getTime() - between(45, 300) * DAY;
      const { enrolment } = enrolSelf(db, p.id, course.slug, new Date(t));
      enrolmentCount++;
      const outline = db
        .select({ lesson: lessons })
        .from(lessons)
        .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
        .where(eq(courseModules.versionId, enrolment.versionId))
        .orderBy(asc(courseModules.position), asc(lessons.position))
        .all()
        .map((r) => r.lesson);
      const r = rand();
      const viewCount = r < 0.7 ? outline.length : r < 0.9 ? between(1, outline.length - 1) : 0;
      for (const lesson of outline.slice(0, viewCount)) {
        t += between(2, 40) * 3_600_000;
        if (lesson.video) {
          openLesson(db, enrolment, lesson, new Date(t));
          const secs = lesson.video.seconds;
          t += (secs + 5) * 1000;
          saveProgress(db, p.id, lesson.id, { seq: 1, ranges: [[0, secs]], positionSeconds: secs }, new Date(t));
        } else {
          saveProgress(db, p.id, lesson.id, { seq: 1, read: true }, new Date(t));
        }
      }
      const completed = viewCount === outline.length && outline.length > 0;
      const skill = Math.min(0.98, ease + (rand() - 0.5) * 0.4);
      if (final && completed && rand() < 0.85) {
        for (let attempt = 0; attempt < 2; attempt++) {
          t += between(1, 48) * 3_600_000;
          const { attemptId } = startAttempt(db, final.id, p.id, new Date(t));
          const items = db
            .select({ questionId: quizAttemptItems.questionId, kind: quizQuestions.kind, options: quizQuestions.options })
            .from(quizAttemptItems)
            .innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptItems.questionId))
            .where(eq(quizAttemptItems.attemptId, attemptId))
            .all();
          for (const item of items) {
            const response = rand() < skill ? questionType(item.kind).correctResponse(item.options) : wrong(item.kind, item.options);
            if (response !== null) saveAnswer(db, attemptId, item.questionId, p.id, { response, seq: 1 }, new Date(t + 60_000));
          }
          t += 8 * 60_000;
          const done = submitAttempt(db, attemptId, p.id, new Date(t));
          if (done.passed || rand() < 0.5) break;
        }
      }
      // The survey opens once the course is complete: every lesson and, where the course has one, the final test passed.
      if (enrolmentInCourse(db, p.id, course.id)?.status === 'completed' && rand() < 0.8) {
        t += between(1, 30) * 3_600_000;
        const rate = (bias: number) => Math.max(1, Math.min(5, Math.round(liking + bias + (rand() - 0.5) * 2.2)));
        const pool = comments[p.locale];
        submitFeedback(
          db,
          p.id,
          enrolment.id,
          { relevance: rate(0.3), clarity: rate(0), usefulness: rate(-0.2), trainer: rate(0.2), comment: rand() < 0.45 ? pool[between(0, pool.length - 1)] : undefined },
          new Date(Math.min(t, now.getTime())),
        );
      }
    }
  }
  return { people: people.length, enrolments: enrolmentCount };
}

// ---------------------------------------------------------------------------------------------
// Attestation demo: a campaign under way, a competition taking applications, a published reserve
// ---------------------------------------------------------------------------------------------

const HEAD = 'Райондук мамлекеттик администрациянын башчысы';
const DEPUTY = 'Райондук мамлекеттик администрациянын башчысынын орун басары';
const DEMO_CRITERIA = [
  { key: 'knowledge', ky: 'Кесиптик билими', ru: 'Профессиональные знания' },
  { key: 'management', ky: 'Башкаруу жөндөмү', ru: 'Управленческие навыки' },
  { key: 'public', ky: 'Калк менен иштөө', ru: 'Работа с населением' },
];

/**
 * Demo data for the State Personnel Service (docs/attestation.md), after seedDemo and the course
 * import, so officer@demo.kg and commission@demo.kg have something to look at — all made through the
 * services with their dates, so every page, the protocol and the notices are real:
 * - an attestation of the heads of the district state administrations of Naryn oblast and their
 *   deputies, under way: one servant waiting for the stage-1 review, one admitted late with a make-up
 *   testing session tomorrow, one tested and waiting for commission@demo.kg's scores, one who fits and
 *   is recommended to the reserve (published), one who does not fit, one refused at stage 1;
 * - a competition for the reserve of deputy heads in Issyk-Kul oblast taking applications: an outside
 *   candidate (candidate@demo.kg) applied with a document and waits for the check, another is admitted;
 * - a closed competition of Chüy oblast whose winners are on the public reserve (/ky/reserve).
 * Its own people, organisations and a second commission member: no other demo account's pages change.
 * Does nothing a second time.
 */
export async function seedAttestationDemo(db: DB, now = new Date()): Promise<{ campaigns: number; people: number }> {
  const officerRow = db.select().from(users).where(eq(users.email, 'officer@demo.kg')).get();
  const memberRow = db.select().from(users).where(eq(users.email, 'commission@demo.kg')).get();
  if (!officerRow || !memberRow) return { campaigns: 0, people: 0 };
  if (db.select().from(users).where(eq(users.email, 'candidate@demo.kg')).get()) return { campaigns: 0, people: 0 };
  const officer = { id: officerRow.id, roles: ['personnel_officer' as const] };
  const DAY = 86_400_000;
  const ago = (days: number, hour = 10) => {
    const d = new Date(now.getTime() - days * DAY);
    d.setUTCHours(hour - 6, 0, 0, 0); // Bishkek is UTC+6
    return d;
  };
  const day = (n: number) => bishkekDay(new Date(now.getTime() + n * DAY));

  const member2 = await createPerson(db, {
    email: 'commission2@demo.kg', password: DEMO_PASSWORD, fullName: 'Бурулкан Сыдыкова', organisationId: null,
    positionTitle: 'Аттестациялык комиссиянын мүчөсү', gender: 'female', locale: 'ky', roles: [{ role: 'commission_member' }],
  });
  const members = [{ id: memberRow.id, roles: ['commission_member' as const] }, { id: member2.id, roles: ['commission_member' as const] }];

  // ---- the attestation of Naryn oblast's district heads ----
  const district = (ky: string, ru: string) =>
    createOrganisation(db, { kind: 'state_body', service: 'state', region: 'naryn', nameKy: `${ky} райондук мамлекеттик администрациясы`, nameRu: `${ru} районная государственная администрация` });
  const atBashy = district('Ат-Башы', 'Ат-Башинская');
  const kochkor = district('Кочкор', 'Кочкорская');
  const jumgal = district('Жумгал', 'Жумгальская');
  const akTalaa = district('Ак-Талаа', 'Ак-Талинская');
  const servant = (email: string, fullName: string, org: number, post: string, gender: 'male' | 'female', appointmentDate: string, locale: 'ky' | 'ru' = 'ky') =>
    createPerson(db, {
      email, password: DEMO_PASSWORD, fullName, organisationId: org, positionTitle: post === HEAD ? 'Райондун акими' : 'Акимдин орун басары',
      postKind: 'political', service: 'state', gender, appointmentDate, locale,
    });
  const people = [
    await servant('atbashy1@demo.kg', 'Бакытбек Жумалиев', atBashy.id, HEAD, 'male', '2021-11-08'),
    await servant('atbashy2@demo.kg', 'Нурлан Осмонкулов', atBashy.id, DEPUTY, 'male', '2022-03-14'),
    await servant('kochkor1@demo.kg', 'Айнура Токтобаева', kochkor.id, HEAD, 'female', '2021-12-01'),
    await servant('kochkor2@demo.kg', 'Медер Сагынбаев', kochkor.id, DEPUTY, 'male', '2022-06-20', 'ru'),
    await servant('jumgal1@demo.kg', 'Гүлмира Исакова', jumgal.id, HEAD, 'female', '2021-10-25'),
    await servant('aktalaa2@demo.kg', 'Асылбек Мамбетов', akTalaa.id, DEPUTY, 'male', '2026-03-02'),
  ];
  const narynInput = {
    kind: 'attestation' as const, status: 'open' as const, region: 'naryn' as const,
    titleKy: 'Нарын облусунун райондук мамлекеттик администрацияларынын башчыларын жана алардын орун басарларын аттестациялоо',
    titleRu: 'Аттестация глав районных государственных администраций Нарынской области и их заместителей',
    posts: [HEAD, DEPUTY],
    requirements: 'Ээлеген кызмат ордуна ылайыктуулугу: мыйзамдарды билүүсү, башкаруу жөндөмү жана райондун социалдык-экономикалык өнүгүү программасынын аткарылышы.',
    stage1From: day(-40), stage1To: day(-26), stage2From: day(-25), stage2To: day(-12), stage3From: day(-11), stage3To: day(14),
    criteria: DEMO_CRITERIA, qualityThresholds: { responsibility: 60, stress: 50 },
  };
  const naryn = createCampaign(db, officer, narynInput, ago(45));
  setCommission(db, officer, naryn.id, members.map((m) => m.id), ago(45));
  addPeople(db, officer, naryn.id, { userIds: [people[0]!.id, people[2]!.id, people[4]!.id], post: HEAD }, ago(40));
  addPeople(db, officer, naryn.id, { userIds: [people[1]!.id, people[3]!.id, people[5]!.id], post: DEPUTY }, ago(40));
  const personOf = new Map(campaignPeople(db, naryn.id).map((p) => [p.userId, p.id]));
  const pid = (i: number) => personOf.get(people[i]!.id)!;
  const notes: [number, string][] = [
    [0, 'Райондун 2026-жылдын 9 айындагы социалдык-экономикалык өнүгүү программасынын аткарылышы тууралуу отчет. Жайыттарды пайдалануу боюнча даттануулар каралууда.'],
    [1, 'Айыл чарба жана инфраструктура маселелерин көзөмөлдөйт. Апрель–май айларында эмгек өргүүсүндө болгондуктан, тестирлөөгө кийин киргизилди.'],
    [2, 'Райондук бюджеттин кирешелери пландан 8 % ашык аткарылды. Калктын кайрылууларына мөөнөтүндө жооп берилет.'],
    [3, 'Мектептерди жылытуу жана ичүүчү суу долбоорлорун жетектеди; бардык долбоорлор мөөнөтүндө бүткөрүлдү.'],
    [4, 'Райондо салык кирешелери пландан төмөн; прокуратуранын эки сунуштамасы аткарылган эмес.'],
  ];
  for (const [i, note] of notes) addDocument(db, officer, pid(i), { note }, ago(35));
  // stage 1: the review of their work
  for (const i of [2, 3, 4]) decideStage1(db, officer, pid(i), { status: 'admitted' }, ago(27));
  decideStage1(db, officer, pid(5), { status: 'refused', reason: 'Ээлеген кызмат ордунда бир жылдан аз иштеди (2026-жылдын 2-мартынан бери): кийинки аттестацияга киргизилет.' }, ago(27));
  // stage 2: tested at the oblast's testing session (results as the testing module records them)
  setStage2Result(db, { id: null }, pid(2), { status: 'passed', lawScorePercent: 84, lawPassed: true, qualitiesProfile: { responsibility: 78, stress: 66 }, weakTopics: [] }, ago(18, 12));
  setStage2Result(db, { id: null }, pid(3), { status: 'passed', lawScorePercent: 92, lawPassed: true, qualitiesProfile: { responsibility: 85, stress: 71 }, weakTopics: [] }, ago(18, 12));
  setStage2Result(db, { id: null }, pid(4), { status: 'failed', lawScorePercent: 48, lawPassed: false, qualitiesProfile: { responsibility: 55, stress: 42 }, weakTopics: ['anticorruption', 'service'] }, ago(18, 12));
  // stage 3: the interview
  const score = (m: number, i: number, s: [number, number, number], comment: string | null, daysAgo: number) =>
    submitScores(db, members[m]!, pid(i), { scores: { knowledge: s[0], management: s[1], public: s[2] }, comment }, ago(daysAgo, 15));
  score(1, 2, [4, 4, 5], 'Райондун бюджетин жакшы билет, калк менен иштөө тажрыйбасы мол.', 8); // commission@demo.kg has not scored her yet
  score(0, 3, [5, 4, 5], 'Долбоорлорду башкаруу тажрыйбасы бар; жогорку кызматка даяр.', 9);
  score(1, 3, [5, 5, 4], null, 9);
  score(0, 4, [2, 3, 3], 'Мыйзамдарды начар билет; салык кирешелери боюнча так жооп бере алган жок.', 9);
  score(1, 4, [3, 2, 3], null, 9);
  recordDecision(db, officer, pid(3), { decision: 'fits', votesFor: 2, votesAgainst: 0, recommendedToReserve: true }, ago(7));
  recordDecision(db, officer, pid(4), { decision: 'does_not_fit', votesFor: 2, votesAgainst: 0 }, ago(7));
  publishReserve(db, officer, naryn.id, ago(6));
  // the deputy back from leave: admitted now, a make-up testing session tomorrow (if the library has a test)
  decideStage1(db, officer, pid(1), { status: 'admitted' }, ago(2));
  const test = db
    .select({ id: quizzes.id })
    .from(quizzes)
    .innerJoin(courses, eq(quizzes.courseId, courses.id))
    .where(and(eq(courses.slug, 'civil-and-municipal-service'), eq(courses.status, 'published'), eq(quizzes.kind, 'final'), eq(quizzes.active, true)))
    .get();
  if (test) {
    createSession(db, officer, naryn.id, {
      quizId: test.id, startsAt: `${day(1)}T10:00:00+06:00`, endsAt: `${day(1)}T12:00:00+06:00`,
      place: 'Нарын ш., Ленин көч. 42, облустук мамлекеттик администрация, 3-кабат, 305-бөлмө',
    }, now);
  }

  // ---- a closed competition: the winners are on the public reserve ----
  const outside = (email: string, fullName: string, gender: 'male' | 'female', locale: 'ky' | 'ru' = 'ky') =>
    createPerson(db, { email, password: DEMO_PASSWORD, fullName, organisationId: null, gender, locale, roles: [{ role: 'candidate' }] });
  const chuiPosts = ['Ысык-Ата райондук мамлекеттик администрациясынын башчысы', 'Кемин райондук мамлекеттик администрациясынын башчысы'];
  const chuiInput = {
    kind: 'competition' as const, status: 'open' as const, region: 'chui' as const,
    titleKy: 'Чүй облусунун райондук мамлекеттик администрацияларынын башчыларынын кадрлар резервине конкурс',
    titleRu: 'Конкурс в кадровый резерв глав районных государственных администраций Чуйской области',
    posts: chuiPosts,
    requirements: 'Жогорку билими; мамлекеттик же муниципалдык кызматта кеминде 5 жыл, анын ичинде жетекчилик кызматта 2 жылдан кем эмес иш стажы; мамлекеттик жана расмий тилдерди билүү.',
    stage1From: day(-120), stage1To: day(-100), stage2From: day(-95), stage2To: day(-94), stage3From: day(-85), stage3To: day(-80),
    criteria: DEMO_CRITERIA, qualityThresholds: { responsibility: 60, stress: 50 },
  };
  const chui = createCampaign(db, officer, chuiInput, ago(125));
  setCommission(db, officer, chui.id, members.map((m) => m.id), ago(125));
  const chuiPeople: [Awaited<ReturnType<typeof outside>>, string, 'reserve' | 'not_reserve', number][] = [
    [await outside('reserve1@demo.kg', 'Канат Абдрахманов', 'male'), chuiPosts[0]!, 'reserve', 88],
    [await outside('reserve2@demo.kg', 'Жаркынай Өмүрбекова', 'female'), chuiPosts[1]!, 'reserve', 81],
    [await outside('reserve3@demo.kg', 'Тилек Усенов', 'male', 'ru'), chuiPosts[0]!, 'reserve', 76],
    [await outside('reserve4@demo.kg', 'Роза Шамшиева', 'female'), chuiPosts[1]!, 'not_reserve', 58],
  ];
  for (const [u, post, decision, law] of chuiPeople) {
    const p = applyToCompetition(db, { id: u.id, roles: ['candidate'] }, chui.id, { post }, ago(110));
    addDocument(db, { id: u.id, roles: ['candidate'] }, p.id, { note: 'Жогорку билими тууралуу диплом, эмгек китепчеси жана мүнөздөмө тиркелди.' }, ago(110));
    decideStage1(db, officer, p.id, { status: 'admitted' }, ago(98));
    setStage2Result(db, { id: null }, p.id, { status: law >= 60 ? 'passed' : 'failed', lawScorePercent: law, lawPassed: law >= 60, qualitiesProfile: { responsibility: law - 6, stress: law - 14 }, weakTopics: [] }, ago(94, 12));
    const s = decision === 'reserve' ? 4 : 3;
    for (const m of members) submitScores(db, m, p.id, { scores: { knowledge: s, management: s, public: s + (decision === 'reserve' ? 1 : -1) }, comment: null }, ago(83, 15));
    recordDecision(db, officer, p.id, { decision, votesFor: decision === 'reserve' ? 2 : 0, votesAgainst: decision === 'reserve' ? 0 : 2 }, ago(82));
  }
  publishReserve(db, officer, chui.id, ago(80));
  updateCampaign(db, officer, chui.id, { ...chuiInput, status: 'closed' }, ago(79));

  // ---- a competition taking applications ----
  const issykKulPosts = ['Ак-Суу райондук мамлекеттик администрациясынын башчысынын орун басары', 'Түп райондук мамлекеттик администрациясынын башчысынын орун басары'];
  const issykKul = createCampaign(db, officer, {
    kind: 'competition', status: 'open', region: 'issyk_kul',
    titleKy: 'Ысык-Көл облусунун райондук мамлекеттик администрацияларынын башчыларынын орун басарларынын кадрлар резервине конкурс',
    titleRu: 'Конкурс в кадровый резерв заместителей глав районных государственных администраций Иссык-Кульской области',
    posts: issykKulPosts,
    requirements: 'Жогорку билими; мамлекеттик же муниципалдык кызматта кеминде 3 жыл иш стажы; мамлекеттик жана расмий тилдерди билүү.',
    stage1From: day(-5), stage1To: day(12), stage2From: day(13), stage2To: day(15), stage3From: day(16), stage3To: day(25),
    criteria: DEMO_CRITERIA, qualityThresholds: { responsibility: 60, stress: 50 },
  }, ago(6));
  setCommission(db, officer, issykKul.id, members.map((m) => m.id), ago(6));
  const emil = await outside('candidate@demo.kg', 'Эмил Бообеков', 'male');
  const emilApp = applyToCompetition(db, { id: emil.id, roles: ['candidate'] }, issykKul.id, { post: issykKulPosts[0]! }, ago(3));
  addDocument(db, { id: emil.id, roles: ['candidate'] }, emilApp.id, { note: 'Жогорку билими тууралуу диплом (КУУ, 2012) жана эмгек китепчесинин көчүрмөсү.', file: { ...saveScan(demoScanPdf()), name: 'diplom.pdf' } }, ago(3));
  const jazgul = await outside('candidate2@demo.kg', 'Жазгүл Усенова', 'female', 'ru');
  const jazgulApp = applyToCompetition(db, { id: jazgul.id, roles: ['candidate'] }, issykKul.id, { post: issykKulPosts[1]! }, ago(4));
  addDocument(db, { id: jazgul.id, roles: ['candidate'] }, jazgulApp.id, { note: 'Диплом, эмгек китепчеси, акыркы иш ордунан мүнөздөмө.' }, ago(4));
  decideStage1(db, officer, jazgulApp.id, { status: 'admitted' }, ago(1));

  return { campaigns: 3, people: people.length + chuiPeople.length + 2 };
}
