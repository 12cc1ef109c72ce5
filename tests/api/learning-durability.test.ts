import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '@db/client';
import { lessons } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { createPerson } from '@server/modules/people/service';
import { enrolmentProgress, enrolSelf } from '@server/modules/learning/service';

describe('an acknowledged progress save', () => {
  it('survives the process being killed right after the answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bilim-durable-'));
    const file = join(dir, 'db.sqlite');
    try {
      const db = openDatabase(file);
      importCourseLibrary(db, 'tests/fixtures/courses');
      const user = await createPerson(db, { email: 'durable@test.kg', fullName: 'Durable', service: 'state', postKind: 'administrative', adminGroup: 'junior', locale: 'ky' });
      const { enrolment } = enrolSelf(db, user.id, 'ru-digital');
      const lessonId = db.select().from(lessons).where(eq(lessons.slug, '01-passwords')).get()!.id;
      db.$client.close();

      const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/save-then-hang.ts', file, String(user.id), String(lessonId)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('ack')) resolve();
        });
        child.on('exit', () => reject(new Error(`child exited before ack: ${err}`)));
      });
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await exited;

      const again = openDatabase(file);
      const progress = enrolmentProgress(again, enrolment);
      const lesson = progress.modules[0]!.lessons[0]!;
      expect(lesson).toMatchObject({ viewed: true, positionSeconds: 42, seq: 7 });
      expect(progress.completion.complete).toBe(true);
      again.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
