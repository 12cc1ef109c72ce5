/**
 * SCORM runtime data (issue #22): commits are acknowledged, idempotent and ordered (a repeat or an
 * older commit never overwrites newer data, concurrent commits end with the newest), a relaunch
 * resumes from them, the package's completion marks the lesson viewed and its passed status can be
 * the course's final test, and nobody but the learner reads or writes their data. The package files
 * are served only to a launch token, with the runtime injected.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { enrolments, lessonProgress, users } from '@db/schema';
import { enrolSelf, enrolmentProgress, launchScormLesson, saveProgress, scormStartState } from '@server/modules/learning/service';
import { contentApp } from '@server/modules/scorm/content';
import { publishScormCourse } from '../support/scorm-course';

let trainer: string;
let learner: string;
let other: string;
let learnerId: number;
let otherId: number;
let c2004: Awaited<ReturnType<typeof publishScormCourse>>;
let c12: Awaited<ReturnType<typeof publishScormCourse>>;
let cFinal: Awaited<ReturnType<typeof publishScormCourse>>;

const put = (lessonId: number, body: unknown, cookie = learner) => call(`/api/lessons/${lessonId}/scorm`, { method: 'PUT', cookie, json: body });
const get = (lessonId: number, cookie = learner) => call(`/api/lessons/${lessonId}/scorm`, { cookie });
const cmi2004 = (extra: Record<string, unknown>) => ({ completion_status: 'incomplete', success_status: 'unknown', location: 'page-1', suspend_data: 'a=1', exit: '', ...extra });

beforeAll(async () => {
  await withDemo();
  trainer = await signIn('trainer@demo.kg');
  learner = await signIn('learner@demo.kg');
  other = await signIn('municipal@demo.kg');
  const db = getDb();
  learnerId = db.select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!.id;
  otherId = db.select().from(users).where(eq(users.email, 'municipal@demo.kg')).get()!.id;
  c2004 = await publishScormCourse(db, call, trainer, 'scorm-rt-2004', {
    version: '2004-4',
    scos: [
      { id: 'SCO-A', title: 'Киришүү' },
      { id: 'SCO-B', title: 'Текшерүү', mastery: 0.8 },
    ],
  });
  c12 = await publishScormCourse(db, call, trainer, 'scorm-rt-12', { version: '1.2', scos: [{ id: 'SCO-1', title: 'Сабак', mastery: 80 }] });
  cFinal = await publishScormCourse(
    db,
    call,
    trainer,
    'scorm-rt-final',
    { version: '2004-3', scos: [{ id: 'LESSON', title: 'Сабак' }, { id: 'EXAM', title: 'Сынак', mastery: 0.7 }] },
    { finalTestSco: 'EXAM', completion: { lessonsPercent: 50, finalTest: true } },
  );
  for (const slug of ['scorm-rt-2004', 'scorm-rt-12', 'scorm-rt-final']) enrolSelf(db, learnerId, slug);
});

describe('commits are acknowledged, idempotent and ordered', () => {
  it('a repeat or an older commit changes nothing and gets the stored state', async () => {
    const id = c2004.lessonIds['SCO-A']!;
    const first = await put(id, { seq: 10, cmi: cmi2004({ suspend_data: 'slide=3', location: 'slide-3' }) });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ seq: 10, completion: 'incomplete', viewed: false });
    expect((await (await put(id, { seq: 10, cmi: cmi2004({ suspend_data: 'replayed' }) })).json()).seq).toBe(10);
    expect((await (await put(id, { seq: 4, cmi: cmi2004({ suspend_data: 'late' }) })).json()).seq).toBe(10);
    const stored = await (await get(id)).json();
    expect(stored).toMatchObject({ seq: 10, cmi: { suspend_data: 'slide=3', location: 'slide-3' } });
  });

  it('concurrent commits in any order end with the newest', async () => {
    const id = c2004.lessonIds['SCO-A']!;
    const seqs = Array.from({ length: 24 }, (_, i) => 100 + i).sort(() => Math.random() - 0.5);
    const answers = await Promise.all(seqs.map((seq) => put(id, { seq, cmi: cmi2004({ suspend_data: `s${seq}` }) })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(await (await get(id)).json()).toMatchObject({ seq: 123, cmi: { suspend_data: 's123' } });
  });

  it('bad input is a 400 and stores nothing; too much data is a 413', async () => {
    const id = c2004.lessonIds['SCO-A']!;
    for (const body of [{ seq: 0, cmi: {} }, { seq: 'x', cmi: {} }, { seq: 200 }, { seq: 200, cmi: [] }, { seq: 200, cmi: {}, extra: 1 }, { seq: 1.5, cmi: {} }]) {
      expect((await put(id, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await put(id, { seq: 200, cmi: cmi2004({ suspend_data: 'x'.repeat(600 * 1024) }) })).status).toBe(413);
    expect((await (await get(id)).json()).seq).toBe(123);
  });
});

describe('resume', () => {
  it('a relaunch after a suspended session starts from the stored location, suspend data, interactions, with entry resume', async () => {
    const id = c2004.lessonIds['SCO-A']!;
    const interactions = { 0: { id: 'q1', type: 'choice', learner_response: 'b', result: 'correct' } };
    await put(id, { seq: 500, cmi: cmi2004({ location: 'slide-7', suspend_data: 'slide=7;лекция', exit: 'suspend', interactions, total_time: 'PT5M' }) });
    const start = scormStartState(getDb(), learnerId, id)!;
    expect(start.cmi).toMatchObject({ location: 'slide-7', suspend_data: 'slide=7;лекция', entry: 'resume', interactions, total_time: 'PT5M' });
    expect(start.seq).toBe(500);
    expect(start.learner).toEqual({ id: String(learnerId), name: 'Айгүл Асанова' });
    // a first launch is ab-initio
    expect(scormStartState(getDb(), learnerId, c2004.lessonIds['SCO-B']!)!.cmi).toEqual({ entry: 'ab-initio' });
    // SCORM 1.2: the same under cmi.core
    await put(c12.lessonIds['SCO-1']!, { seq: 1, cmi: { core: { lesson_location: 'p2', lesson_status: 'incomplete', exit: 'suspend', score: { raw: '' } }, suspend_data: 'p=2' } });
    expect(scormStartState(getDb(), learnerId, c12.lessonIds['SCO-1']!)!.cmi).toMatchObject({ core: { lesson_location: 'p2', lesson_status: 'incomplete', entry: 'resume' }, suspend_data: 'p=2' });
  });
});

describe('completion', () => {
  it('a SCORM lesson counts as viewed when the package says completed, never by a progress save; the course completes', async () => {
    const db = getDb();
    const a = c2004.lessonIds['SCO-A']!;
    const b = c2004.lessonIds['SCO-B']!;
    saveProgress(db, learnerId, b, { seq: 1, read: true });
    const enrolment = () => db.select().from(enrolments).where(and(eq(enrolments.userId, learnerId), eq(enrolments.courseId, c2004.courseId))).get()!;
    expect(enrolmentProgress(db, enrolment()).viewed).toBe(0);
    const done = await (await put(a, { seq: 900, cmi: cmi2004({ completion_status: 'completed', exit: 'normal' }) })).json();
    expect(done).toMatchObject({ viewed: true, completion: 'completed', course: { status: 'active' } });
    // completed stays completed: a later commit saying incomplete does not take it back
    expect(await (await put(a, { seq: 901, cmi: cmi2004({ completion_status: 'incomplete' }) })).json()).toMatchObject({ viewed: true, completion: 'incomplete' });
    expect(enrolmentProgress(db, enrolment()).viewed).toBe(1);
    // the 2004 scaled passing score decides passed/failed from the scaled score
    const failed = await (await put(b, { seq: 1, cmi: cmi2004({ completion_status: 'completed', success_status: 'passed', score: { scaled: '0.5' } }) })).json();
    expect(failed).toMatchObject({ success: 'failed', passed: false, viewed: true, score: 0.5, course: { status: 'completed' } });
    expect(db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, enrolment().id)).all().every((p) => p.viewedAt !== null)).toBe(true);
  });

  it('SCORM 1.2: lesson_status and the mastery score', async () => {
    const id = c12.lessonIds['SCO-1']!;
    expect(await (await put(id, { seq: 2, cmi: { core: { lesson_status: 'completed', score: { raw: '70', min: '0', max: '100' } } } })).json()).toMatchObject({ completion: 'completed', success: 'failed', score: 0.7, viewed: true });
    expect(await (await put(id, { seq: 3, cmi: { core: { lesson_status: 'completed', score: { raw: '85', min: '0', max: '100' } } } })).json()).toMatchObject({ success: 'passed', passed: true, course: { status: 'completed' } });
  });

  it("the package's passed status as the course's final test: the course waits for passed", async () => {
    const lesson = cFinal.lessonIds['LESSON']!;
    const exam = cFinal.lessonIds['EXAM']!;
    expect(await (await put(lesson, { seq: 1, cmi: cmi2004({ completion_status: 'completed' }) })).json()).toMatchObject({ course: { status: 'active' } });
    // completed but failed: lessons are enough (50 %), the final test is not passed
    expect(await (await put(exam, { seq: 1, cmi: cmi2004({ completion_status: 'completed', score: { scaled: '0.6' } }) })).json()).toMatchObject({ success: 'failed', course: { status: 'active' } });
    const passed = await (await put(exam, { seq: 2, cmi: cmi2004({ completion_status: 'completed', score: { scaled: '0.9' } }) })).json();
    expect(passed).toMatchObject({ success: 'passed', passed: true, course: { status: 'completed' } });
    expect(passed.course.completedAt).toEqual(expect.any(String));
  });
});

describe('access: the learner\'s own runtime data only', () => {
  it('another learner not enrolled cannot read or write it; enrolled, they get their own', async () => {
    const id = c2004.lessonIds['SCO-A']!;
    expect((await get(id, other)).status).toBe(403);
    expect((await put(id, { seq: 99_999, cmi: cmi2004({ suspend_data: 'evil' }) }, other)).status).toBe(403);
    enrolSelf(getDb(), otherId, 'scorm-rt-2004');
    expect(await (await get(id, other)).json()).toMatchObject({ seq: 0, cmi: null, viewed: false });
    await put(id, { seq: 99_999, cmi: cmi2004({ suspend_data: 'theirs' }) }, other);
    expect((await (await get(id)).json()).cmi.suspend_data).not.toBe('theirs');
  });
  it('anonymous: 401; a lesson that is not SCORM: 422; no such lesson: 404', async () => {
    const id = c2004.lessonIds['SCO-A']!;
    expect((await call(`/api/lessons/${id}/scorm`)).status).toBe(401);
    expect((await call(`/api/lessons/${id}/scorm`, { method: 'PUT', json: { seq: 1, cmi: {} } })).status).toBe(401);
    expect((await get(999_999)).status).toBe(404);
  });
});

describe('package files are served to a launch token only, with the runtime injected', () => {
  const fetchContent = (path: string, host = 'localhost') => contentApp.fetch(new Request(`http://${host}${path}`, { headers: { host } }));
  it('the launch page gets scorm-again and the boot script; the boot script carries the learner\'s data to resume', async () => {
    const db = getDb();
    const id = c2004.lessonIds['SCO-A']!;
    const launch = launchScormLesson(db, learnerId, id, 'http://localhost');
    expect(launch.sandboxed).toBe(true);
    expect(launch.url).toMatch(/^\/scorm-content\/p\/[A-Za-z0-9_-]{32}\/SCO-A\/index\.html$/);
    const page = await fetchContent(launch.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<head><script src="\/scorm-content\/runtime\/scorm2004\.js"><\/script><script src="\/scorm-content\/boot\/[^"]+\.js"><\/script>/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain(`connect-src http://localhost/scorm-content/p/${launch.token}/`);
    expect(csp).toContain('frame-ancestors http://localhost');
    expect(page.headers.get('set-cookie')).toBeNull();
    const boot = await (await fetchContent(`/scorm-content/boot/${launch.token}.js`)).text();
    expect(boot).toContain('"parentOrigin":"http://localhost"');
    expect(boot).toContain('"seq":901'); // the newest commit (completion tests above)
    expect(boot).toContain('"suspend_data":"a=1"');
    const runtime = await fetchContent('/scorm-content/runtime/scorm2004.js');
    expect(runtime.status).toBe(200);
    expect((await fetchContent(launch.url.replace('SCO-A/index.html', 'shared/sco.js'))).headers.get('content-type')).toContain('javascript');
    // byte ranges, for a package's video to seek
    const js = launch.url.replace('SCO-A/index.html', 'shared/sco.js');
    const whole = await (await fetchContent(js)).text();
    const part = await contentApp.fetch(new Request(`http://localhost${js}`, { headers: { host: 'localhost', range: 'bytes=2-11' } }));
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 2-11/${Buffer.byteLength(whole)}`);
    expect(await part.text()).toBe(Buffer.from(whole).subarray(2, 12).toString());
    expect((await contentApp.fetch(new Request(`http://localhost${js}`, { headers: { host: 'localhost', range: 'bytes=999999-' } }))).status).toBe(416);
  });
  it('no file outside the package, no file without a valid token, nothing else on that path', async () => {
    const launch = launchScormLesson(getDb(), learnerId, c2004.lessonIds['SCO-A']!, 'http://localhost');
    const base = `/scorm-content/p/${launch.token}/`;
    for (const path of [`${base}../../../../etc/passwd`, `${base}%2e%2e/%2e%2e/imsmanifest.xml`, `${base}..%2f..%2fx`, `${base}`, '/scorm-content/p/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/SCO-A/index.html', '/scorm-content/boot/nope.js', '/scorm-content/runtime/x.js', '/scorm-content/api/me']) {
      expect((await fetchContent(path)).status, path).toBe(404);
    }
  });
  it('with CONTENT_ORIGIN, content is served from that host only', async () => {
    process.env.CONTENT_ORIGIN = 'http://content.localhost:5555';
    try {
      const launch = launchScormLesson(getDb(), learnerId, c2004.lessonIds['SCO-A']!, 'http://localhost');
      expect(launch).toMatchObject({ sandboxed: false });
      expect(launch.url.startsWith('http://content.localhost:5555/scorm-content/p/')).toBe(true);
      const path = new URL(launch.url).pathname;
      expect((await fetchContent(path, 'localhost')).status).toBe(404);
      const there = await fetchContent(path, 'content.localhost:5555');
      expect(there.status).toBe(200);
      expect(there.headers.get('content-security-policy')).toContain('connect-src http://content.localhost:5555/scorm-content/p/');
    } finally {
      delete process.env.CONTENT_ORIGIN;
    }
  });
  it('a learner not enrolled cannot launch', () => {
    const stranger = getDb().select().from(users).where(eq(users.email, 'osh@demo.kg')).get()!;
    expect(() => launchScormLesson(getDb(), stranger.id, c2004.lessonIds['SCO-A']!, 'http://localhost')).toThrow('not_enrolled');
  });
});
