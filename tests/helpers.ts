import { app } from '../server/app';
import { getDb } from '../db/client';
import { seedDemo } from '@scripts/seed';
import { DEMO_PASSWORD } from '@server/modules/auth/demo';
import { loginLimiter } from '../server/modules/auth/rate-limit';
import { questionType } from '../server/modules/quiz/types';
import { eq } from 'drizzle-orm';
import { quizQuestions } from '../db/schema';
import { AppError } from '../server/lib/errors';

export const ORIGIN = 'http://localhost';
export { app, getDb, DEMO_PASSWORD };

const seeded = new WeakMap<object, Promise<void>>();
/** The demo organisations and accounts in this test file's in-memory database, once. */
export function withDemo(): Promise<void> {
  const db = getDb();
  if (!seeded.has(db)) seeded.set(db, seedDemo(db));
  return seeded.get(db)!;
}

/** A request to the API as a browser on our own site would send it. */
export function call(path: string, init: RequestInit & { json?: unknown; cookie?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set('origin', headers.get('origin') ?? ORIGIN);
  headers.set('host', 'localhost');
  if (init.cookie) headers.set('cookie', init.cookie);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return app.request(`${ORIGIN}${path}`, { ...init, headers, body }, { ip: '203.0.113.9' });
}

/** Signs in and returns the cookie header to send with later calls. */
export async function signIn(email: string, password = DEMO_PASSWORD): Promise<string> {
  loginLimiter.reset(getDb());
  const res = await call('/api/auth/login', { method: 'POST', json: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0]!;
}

/** The right response for each kind, read from the database key (as a test may; the browser never can). */
export function rightResponse(questionId: number): unknown {
  const q = getDb().select().from(quizQuestions).where(eq(quizQuestions.id, questionId)).get()!;
  // The registry's key as a learner who knows would answer; an essay gets a text (it has no key).
  return questionType(q.kind).correctResponse(q.options) ?? { text: 'Менин жообум: адегенде жетекчиге жазуу жүзүндө билдирем.' };
}


/** What a service call answers: `ok`, or the AppError it throws as `<status> <code>` ("409 slug_taken"); any other error is thrown. */
export function outcome(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return `${e.status} ${e.code}`;
    throw e;
  }
  return 'ok';
}
