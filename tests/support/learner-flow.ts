/**
 * A learner going through a course the way the site does it, for tests of completion, retakes and
 * reviews: new servants, every lesson viewed (videos watched to the end), quizzes answered right,
 * wrong or left blank through the API.
 */
import '@server/modules/providers';
import { and, asc, eq } from 'drizzle-orm';
import { call, getDb, rightResponse, signIn } from '../helpers';
import { courseModules, courses, lessons, quizzes, users } from '@db/schema';
import { createPerson } from '@server/modules/people/service';
import { enrolmentInCourse, openLesson, saveProgress } from '@server/modules/learning/service';

let n = 0;
/** A new state servant in the demo ministry (eligible for every library course), signed in. */
export async function newServant(name = 'Сынак Сынакова'): Promise<{ id: number; cookie: string; email: string }> {
  const db = getDb();
  const org = db.select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!.organisationId;
  const email = `servant-${process.pid}-${++n}@test.kg`;
  const person = await createPerson(db, {
    email, password: 'correct-horse-battery-2026', fullName: name, organisationId: org,
    positionTitle: 'Адис', postKind: 'administrative', adminGroup: 'senior', service: 'state', gender: 'female', appointmentDate: '2020-01-10', locale: 'ky',
  });
  return { id: person.id, cookie: await signIn(email, 'correct-horse-battery-2026'), email };
}

export const courseId = (slug: string) => getDb().select().from(courses).where(eq(courses.slug, slug)).get()!.id;

export async function enrol(cookie: string, slug: string) {
  const res = await call(`/api/courses/${slug}/enrolments`, { method: 'POST', cookie });
  return { status: res.status, body: (await res.json()) as any };
}

/** Views every lesson of the learner's enrolment (a video watched to its end, a text read). */
export function viewAllLessons(userId: number, slug: string, now = new Date()): void {
  const db = getDb();
  const enrolment = enrolmentInCourse(db, userId, courseId(slug))!;
  const rows = db
    .select({ lesson: lessons })
    .from(lessons)
    .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
    .where(eq(courseModules.versionId, enrolment.versionId))
    .orderBy(asc(courseModules.position), asc(lessons.position))
    .all();
  let t = now.getTime();
  for (const { lesson } of rows) {
    if (lesson.video) {
      openLesson(db, enrolment, lesson, new Date(t));
      t += (lesson.video.seconds + 5) * 1000;
      saveProgress(db, userId, lesson.id, { seq: 1, ranges: [[0, lesson.video.seconds]], positionSeconds: lesson.video.seconds }, new Date(t));
    } else {
      saveProgress(db, userId, lesson.id, { seq: 1, read: true }, new Date(t));
    }
  }
}

export const quizOf = (slug: string, kind: 'module' | 'final', position: number | null = null) =>
  getDb()
    .select()
    .from(quizzes)
    .where(and(eq(quizzes.courseId, courseId(slug)), eq(quizzes.kind, kind), eq(quizzes.active, true)))
    .all()
    .find((q) => kind === 'final' || q.modulePosition === position)!;

/** Starts an attempt, answers every question right (or leaves them blank), submits; the result as the API gives it. */
export async function takeQuiz(cookie: string, quizId: number, how: 'right' | 'blank'): Promise<{ status: number; result: any }> {
  const started = await call(`/api/quizzes/${quizId}/attempts`, { method: 'POST', cookie });
  if (started.status >= 300) return { status: started.status, result: await started.json() };
  const body = (await started.json()) as any;
  if (how === 'right') {
    let seq = 1;
    for (const q of body.questions) {
      const res = await call(`/api/attempts/${body.attempt.id}/answers/${q.id}`, { method: 'PUT', cookie, json: { response: rightResponse(q.id), seq: seq++ } });
      if (res.status !== 200) throw new Error(`answer refused: ${res.status} ${await res.text()}`);
    }
  }
  const res = await call(`/api/attempts/${body.attempt.id}/submit`, { method: 'POST', cookie });
  return { status: res.status, result: await res.json() };
}
