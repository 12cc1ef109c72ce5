import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Runs a project script as `npm start` / an operator would, on its own database file. */
function runScript(script: string, env: Record<string, string>, args: string[] = []) {
  return execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, COURSES_DIR: 'tests/fixtures/courses', ...env },
    encoding: 'utf8',
    stdio: 'pipe',
  });
}

describe('start-up setup and first administrator', { timeout: 60_000 }, () => {
  it('fills an empty database with demo data outside production, once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bilim-setup-'));
    try {
      const env = { DATABASE_URL: join(dir, 'demo.sqlite'), NODE_ENV: 'development' };
      expect(runScript('scripts/setup.ts', env)).toContain('demo mode');
      expect(runScript('scripts/setup.ts', env)).not.toContain('demo mode');
      const db = new Database(env.DATABASE_URL, { readonly: true });
      const emails = db.prepare('select email from users order by email').all().map((r: any) => r.email);
      expect(emails).toEqual(expect.arrayContaining(['learner@demo.kg', 'trainer@demo.kg', 'hr@demo.kg', 'reviewer@demo.kg', 'admin@demo.kg']));
      // 10 demo accounts of seedDemo (with the personnel officer and the commission member of the
      // attestation demo) + 6 servants of the HR plan/reports demo (seedHrReportsDemo) + 13 people of
      // the attestation campaigns (seedAttestationDemo: a second member, 6 district heads, 6 candidates)
      expect(emails).toEqual(expect.arrayContaining(['officer@demo.kg', 'commission@demo.kg', 'commission2@demo.kg', 'candidate@demo.kg']));
      expect(emails).toHaveLength(29);
      expect(db.prepare('select count(*) n from attestation_campaigns').get()).toEqual({ n: 3 });
      expect(db.prepare("select count(*) n from courses where status = 'published'").get()).toEqual({ n: expect.any(Number) });
      expect((db.prepare('select count(*) n from courses').get() as { n: number }).n).toBeGreaterThanOrEqual(2);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never creates demo accounts in production; admin:create makes the first administrator', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bilim-prod-'));
    try {
      const env = { DATABASE_URL: join(dir, 'prod.sqlite'), NODE_ENV: 'production' };
      expect(runScript('scripts/setup.ts', env)).toContain('npm run admin:create');
      const count = () => {
        const db = new Database(env.DATABASE_URL, { readonly: true });
        const rows = db.prepare('select u.email, r.role from users u join user_roles r on r.user_id = u.id').all();
        db.close();
        return rows;
      };
      expect(count()).toEqual([]);
      // a short password is refused and nothing is created
      expect(() => runScript('scripts/admin-create.ts', { ...env, ADMIN_PASSWORD: 'short' }, ['--email', 'chief@gov.kg', '--name', 'Башкы Админ'])).toThrow();
      expect(count()).toEqual([]);
      const out = runScript('scripts/admin-create.ts', { ...env, ADMIN_PASSWORD: 'a-long-enough-password' }, ['--email', 'Chief@Gov.kg', '--name', 'Башкы Админ']);
      expect(out).toContain('administrator chief@gov.kg created');
      expect(count()).toEqual([{ email: 'chief@gov.kg', role: 'admin' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
