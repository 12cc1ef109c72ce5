import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOf, openDatabase, type DB } from '@db/client';
import { commitGrouped } from '@db/group-commit';

// A file database, so that a second connection can see what is committed and what is not yet.
let dir: string;
let db: DB;
let other: Database.Database;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bilim-group-commit-'));
  db = openDatabase(join(dir, 'g.sqlite'));
  connectionOf(db).exec('CREATE TABLE saves (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  other = new Database(join(dir, 'g.sqlite'), { readonly: true });
});
afterAll(() => {
  other.close();
  connectionOf(db).close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (v: string) => connectionOf(db).prepare('INSERT INTO saves (v) VALUES (?)').run(v).lastInsertRowid;
const committed = () => other.prepare('SELECT v FROM saves ORDER BY id').pluck().all() as string[];

describe('group commit', () => {
  it('runs the writes of one turn in one transaction and answers only after the commit', async () => {
    const seenByOthers: string[][] = [];
    const a = commitGrouped(db, () => insert('a'));
    const b = commitGrouped(db, () => {
      // Inside the batch: "a" is written on this connection but not committed, so others do not see it.
      seenByOthers.push(committed());
      expect(connectionOf(db).inTransaction).toBe(true);
      return insert('b');
    });
    expect(committed()).toEqual([]); // nothing runs before the turn ends
    const [ida, idb] = await Promise.all([a, b]);
    expect(seenByOthers).toEqual([[]]);
    expect(Number(idb)).toBe(Number(ida) + 1);
    expect(committed()).toEqual(['a', 'b']); // acknowledged means committed
    expect(connectionOf(db).inTransaction).toBe(false);
  });

  it('rolls back a failing job alone; the others in its batch are stored', async () => {
    const ok1 = commitGrouped(db, () => insert('c'));
    const bad = commitGrouped(db, () => {
      insert('half-way');
      throw new Error('refused');
    });
    // A job's own nested transaction that fails is undone too.
    const badNested = commitGrouped(db, () =>
      db.transaction(() => {
        insert('nested half-way');
        throw new Error('nested refused');
      }),
    );
    const ok2 = commitGrouped(db, () => insert('d'));
    await expect(bad).rejects.toThrow('refused');
    await expect(badNested).rejects.toThrow('nested refused');
    await Promise.all([ok1, ok2]);
    expect(committed()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('acknowledges nothing when the commit itself fails', async () => {
    // A deferred foreign key is only checked at COMMIT: the whole batch fails there.
    connectionOf(db).exec('CREATE TABLE refs (id INTEGER PRIMARY KEY, save_id INTEGER REFERENCES saves(id) DEFERRABLE INITIALLY DEFERRED)');
    const fine = commitGrouped(db, () => insert('e'));
    const dangling = commitGrouped(db, () => connectionOf(db).prepare('INSERT INTO refs (save_id) VALUES (9999)').run());
    await expect(fine).rejects.toThrow(/FOREIGN KEY/);
    await expect(dangling).rejects.toThrow(/FOREIGN KEY/);
    expect(committed()).toEqual(['a', 'b', 'c', 'd']);
    expect(connectionOf(db).inTransaction).toBe(false);
    // And the next batch works normally.
    await commitGrouped(db, () => insert('f'));
    expect(committed()).toEqual(['a', 'b', 'c', 'd', 'f']);
  });

  it('nests in a transaction that is already open, as better-sqlite3 transactions do', async () => {
    connectionOf(db).exec('BEGIN');
    await expect(commitGrouped(db, () => insert('inside'))).resolves.toBeDefined();
    expect(connectionOf(db).inTransaction).toBe(true); // the batch neither committed nor ended the outer transaction
    connectionOf(db).exec('ROLLBACK');
    expect(committed()).toEqual(['a', 'b', 'c', 'd', 'f']);
  });
});
