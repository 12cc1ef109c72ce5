import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '@db/client';
import { backupDatabase, BackupError, databaseInUse, listBackups, restoreDatabase } from '@db/backup';

const acks = (out: string) => [...out.matchAll(/ack (\d+) (\d+)\n/g)].map((m) => ({ n: Number(m[1]), at: Number(m[2]) }));
const acked = (out: string) => acks(out).map((a) => a.n);

describe('npm run backup and npm run restore', () => {
  it('copies a database that is being written to; the restored copy has every row acknowledged before the backup began', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bilim-backup-'));
    try {
      const live = join(dir, 'live.sqlite');
      const db = openDatabase(live);
      // Enough data that the copy takes a while, so the writer's commits run beside it.
      const fill = db.$client.prepare("INSERT INTO audit_log (at, action, target_type, target_id, details) VALUES (?, 'backup_test.fill', 'fill', ?, ?)");
      db.$client.transaction(() => {
        for (let i = 0; i < 20_000; i++) fill.run(Date.now(), String(i), JSON.stringify({ padding: 'x'.repeat(200), i }));
      })();
      db.$client.close();

      const writer = spawn(process.execPath, ['--import', 'tsx', 'tests/support/backup-writer.ts', live], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      writer.stdout.on('data', (d) => (out += d));
      writer.stderr.on('data', (d) => (err += d));
      const exited = new Promise((r) => writer.on('exit', r));
      try {
        const deadline = Date.now() + 60_000;
        while (acked(out).length < 50) {
          if (Date.now() > deadline) throw new Error(`writer made no progress: ${err}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        // Every write acknowledged up to here must be in the backup.
        const before = Math.max(...acked(out));
        expect(databaseInUse(live)).toBe(true);
        const backupDir = join(dir, 'backups');
        const began = Date.now();
        const { file } = backupDatabase(live, { dir: backupDir, keep: 2 });
        const ended = Date.now();
        // The writer's commits went on while the copy was being made (WAL: the reader blocks no writer).
        await new Promise((r) => setTimeout(r, 300));
        expect(acks(out).filter((a) => a.at > began && a.at < ended).length).toBeGreaterThan(0);

        // Restore into a fresh database file and read it back.
        const fresh = join(dir, 'restored.sqlite');
        restoreDatabase(file, fresh);
        const restored = new Database(fresh, { readonly: true });
        const ns = new Set((restored.prepare("SELECT target_id AS n FROM audit_log WHERE action = 'backup_test.write'").all() as { n: string }[]).map((r) => Number(r.n)));
        for (let n = 1; n <= before; n++) if (!ns.has(n)) throw new Error(`acknowledged write ${n} is missing from the backup`);
        expect((restored.prepare("SELECT count(*) AS c FROM audit_log WHERE action = 'backup_test.fill'").get() as { c: number }).c).toBe(20_000);
        expect(restored.pragma('integrity_check', { simple: true })).toBe('ok');
        // A consistent snapshot: no gap in what the writer committed up to the copy's moment.
        expect(Math.max(...ns)).toBe(ns.size);
        restored.close();

        // Restoring over the live database is refused while the writer has it open.
        expect(() => restoreDatabase(file, live)).toThrow(BackupError);
      } finally {
        writer.kill('SIGKILL');
        await exited;
      }
      // Stopped: now the restore goes through and keeps the replaced database aside.
      expect(databaseInUse(live)).toBe(false);
      const [file] = listBackups(join(dir, 'backups'));
      const { previous } = restoreDatabase(file!, live);
      expect(previous && existsSync(previous)).toBe(true);
      const back = openDatabase(live);
      expect(back.$client.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(back.$client.pragma('integrity_check', { simple: true })).toBe('ok');
      back.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('keeps the newest K backups and refuses a damaged one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bilim-backup-keep-'));
    try {
      const live = join(dir, 'live.sqlite');
      openDatabase(live).$client.close();
      const backups = join(dir, 'b');
      for (let i = 0; i < 4; i++) backupDatabase(live, { dir: backups, keep: 2, now: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) });
      expect(readdirSync(backups).sort()).toEqual(['bilim-20260101T000002000Z.sqlite', 'bilim-20260101T000003000Z.sqlite']);
      // An idle connection elsewhere (a server between requests) also blocks a restore.
      const holder = new Database(live);
      holder.prepare('SELECT 1').get();
      expect(databaseInUse(live)).toBe(true);
      expect(() => restoreDatabase(listBackups(backups)[0]!, live)).toThrow(/stop the server/);
      holder.close();
      expect(databaseInUse(live)).toBe(false);
      const broken = join(dir, 'broken.sqlite');
      writeFileSync(broken, 'not a database');
      expect(() => restoreDatabase(broken, live)).toThrow();
      expect(() => backupDatabase(join(dir, 'none.sqlite'), { dir: backups })).toThrow(BackupError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
