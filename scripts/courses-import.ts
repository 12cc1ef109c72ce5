/**
 * npm run courses:import [folder]: validates every package under courses/ (or the folder given) and
 * imports them in one transaction. A broken package is named with its file and reason, and then
 * nothing is imported.
 */
import '@server/modules/providers';
import { openDatabase } from '../db/client';
import { PackageError } from '@server/lib/package-error';
import { courseVersionNumber, importCourseLibrary } from '../server/modules/catalog/service';

const root = process.argv[2] ?? 'courses';
const db = openDatabase();
try {
  const results = importCourseLibrary(db, root);
  for (const { slug, result } of results) {
    // a changed package is a new version of the course; learners in progress move to it
    const version = result === 'unchanged' ? '' : ` (version ${courseVersionNumber(db, slug)})`;
    console.log(`${slug}: ${result}${version}`);
  }
  console.log(`${results.length} course package(s) checked`);
} catch (e) {
  if (!(e instanceof PackageError)) throw e;
  console.error(`rejected: ${e.file}: ${e.reason}\nnothing was imported`);
  process.exitCode = 1;
} finally {
  db.$client.close();
}
