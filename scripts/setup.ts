/**
 * Run before the server starts (npm start, npm run serve): migrates the database, imports the course
 * library from courses/, and fills an empty database with demo data unless NODE_ENV=production.
 */
import '@server/modules/providers';
import { openDatabase } from '@db/client';
import { isEmpty, seedAcademyDemo, seedAttestationDemo, seedDemo, seedHrReportsDemo } from './seed';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { PackageError } from '@server/lib/package-error';

const db = openDatabase();
try {
  for (const { slug, result } of importCourseLibrary(db, process.env.COURSES_DIR || 'courses')) console.log(`course ${slug}: ${result}`);
} catch (e) {
  if (e instanceof PackageError) {
    console.error(`course library not imported: ${e.file}: ${e.reason}`);
    process.exit(1);
  }
  throw e;
}
if (isEmpty(db)) {
  if (process.env.NODE_ENV === 'production') {
    console.log('empty database: create the first administrator with `npm run admin:create`');
  } else {
    await seedDemo(db);
    await seedHrReportsDemo(db);
    console.log('demo mode: organisations and demo accounts created (password demo-password-2026)');
    const academy = await seedAcademyDemo(db);
    if (academy.people) console.log(`academy demo: ${academy.people} learners, ${academy.enrolments} enrolments`);
    const attestation = await seedAttestationDemo(db);
    if (attestation.campaigns) console.log(`attestation demo: ${attestation.campaigns} campaigns, ${attestation.people} people`);
  }
}
db.$client.close();
