import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { DB } from '@db/client';
import { certificates, courses, users } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { bishkekDay } from '@server/lib/time';
import { type SessionUser } from '@server/lib/session';
import { recordAudit } from '../audit/service';
import { currentPolicy, formatCertificateNumber } from '../policy/service';
import { enqueue } from '../outbox/service';
import { notify } from '../notifications/service';
import { trainingProvider } from '../organisations/training-providers';

export type Certificate = typeof certificates.$inferSelect;

// No 0/O, 1/I/L: a number read aloud or typed from paper comes out right.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** The random part of a number, `XXXX-XXXX-XXXX`: 12 characters of 31, ≈ 59 bits. */
export function randomCodePart(): string {
  const chars: string[] = [];
  const byte = new Uint8Array(1);
  while (chars.length < 12) {
    crypto.getRandomValues(byte);
    // 248 = 8 × 31: bytes above it are drawn again, so every character is equally likely.
    if (byte[0]! < 248) chars.push(ALPHABET[byte[0]! % ALPHABET.length]!);
  }
  const s = chars.join('');
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

/**
 * A new number in the policy's format (default `BLM-{YYYY}-{CODE}` → `BLM-2026-7Q4M-X2PA-9RTD`):
 * the random part means numbers cannot be guessed from one another.
 */
export function newCertificateCode(format: string, year: number): string {
  return formatCertificateNumber(format, year, randomCodePart());
}

/** What a number is looked up by: upper case, letters and digits only, so `blm 2026 7q4m…` finds it. */
export function certificateKey(input: string): string | null {
  const key = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return key.length >= 12 && key.length <= 60 ? key : null;
}

/**
 * Issues the certificate for a completion, or returns the one already issued for the same source,
 * so a repeated completion event never makes a second certificate.
 */
export function issueCertificate(
  db: DB,
  input: { userId: number; courseId: number; sourceRef: string; completedAt: Date; hours?: number },
  now = new Date(),
): Certificate {
  return db.transaction((tx) => {
    const existing = tx.select().from(certificates).where(eq(certificates.sourceRef, input.sourceRef)).get();
    if (existing) return existing;
    const user = tx
      .select({ fullName: users.fullName, email: users.email, organisationId: users.organisationId })
      .from(users)
      .where(eq(users.id, input.userId))
      .get();
    const code = newCertificateCode(currentPolicy(tx).certificateFormat, Number(bishkekDay(input.completedAt).slice(0, 4)));
    const course = tx.select().from(courses).where(eq(courses.id, input.courseId)).get();
    if (!user || !course) throw new AppError('not_found', 404);
    // the issuer as the course's training provider is named today (the certificate keeps it)
    const issuer = course.providerId === null ? undefined : trainingProvider(tx, course.providerId);
    const cert = tx
      .insert(certificates)
      .values({
        code,
        codeKey: certificateKey(code)!,
        userId: input.userId,
        courseId: input.courseId,
        sourceRef: input.sourceRef,
        holderName: user.fullName,
        courseTitleKy: course.titleKy,
        courseTitleRu: course.titleRu,
        issuerKy: issuer?.nameKy ?? null,
        issuerRu: issuer?.nameRu ?? null,
        hours: input.hours ?? course.hours,
        completedOn: bishkekDay(input.completedAt),
        issuedAt: now,
      })
      .returning()
      .get();
    // In the same transaction: the certificate and the event for the HR information system together.
    enqueue(
      tx,
      'completion.created',
      {
        certificateNumber: cert.code,
        servant: { id: input.userId, email: user.email, name: user.fullName },
        organisationId: user.organisationId,
        course: { slug: course.slug, titleKy: course.titleKy, titleRu: course.titleRu },
        hours: cert.hours,
        completedOn: cert.completedOn,
      },
      now,
    );
    notify(tx, {
      userId: input.userId, kind: 'certificate_issued', link: `verify/${cert.code}`, ref: `certificate:${cert.id}:issued`,
      params: { course: { ky: course.titleKy, ru: course.titleRu }, number: cert.code, hours: cert.hours },
    }, now);
    return cert;
  });
}

export function findCertificate(db: DB, code: string): Certificate | null {
  const key = certificateKey(code);
  if (!key) return null;
  return db.select().from(certificates).where(eq(certificates.codeKey, key)).get() ?? null;
}

/** What the public check shows: validity, holder's name, course, hours and date — nothing else. */
export function verifyCertificate(db: DB, code: string) {
  const c = findCertificate(db, code);
  if (!c) throw new AppError('certificate_not_found', 404);
  return {
    code: c.code,
    status: c.revokedAt ? ('revoked' as const) : ('valid' as const),
    holderName: c.holderName,
    course: { ky: c.courseTitleKy, ru: c.courseTitleRu },
    hours: c.hours,
    completedOn: c.completedOn,
    revokedOn: c.revokedAt ? bishkekDay(c.revokedAt) : null,
  };
}

/**
 * Which of these sources (e.g. `enrolment:12`) have a revoked certificate, and when: a completion whose
 * certificate was revoked no longer counts (it blocks no retake and adds no hours), while the
 * enrolment and the certificate stay as history.
 */
export function revokedSources(db: DB, sourceRefs: string[]): Map<string, Date> {
  if (sourceRefs.length === 0) return new Map();
  return new Map(
    db
      .select({ sourceRef: certificates.sourceRef, revokedAt: certificates.revokedAt })
      .from(certificates)
      .where(and(inArray(certificates.sourceRef, sourceRefs), isNotNull(certificates.revokedAt)))
      .all()
      .map((r) => [r.sourceRef, r.revokedAt!] as const),
  );
}

export function listCertificates(db: DB, userId: number): Certificate[] {
  return db.select().from(certificates).where(eq(certificates.userId, userId)).orderBy(desc(certificates.issuedAt)).all();
}

/**
 * The full certificate (for its PDF) if this user may see it: the holder, an HR officer whose
 * organisations include the holder's, a reviewer or an admin. Anyone else gets "not found", which
 * does not even confirm that the number exists.
 */
export function certificateFor(db: DB, viewer: SessionUser, code: string): Certificate {
  const c = findCertificate(db, code);
  if (!c) throw new AppError('certificate_not_found', 404);
  if (c.userId === viewer.id || viewer.roles.includes('reviewer') || viewer.roles.includes('admin')) return c;
  if (viewer.roles.includes('hr')) {
    const holder = db.select({ organisationId: users.organisationId }).from(users).where(eq(users.id, c.userId)).get();
    if (holder?.organisationId && viewer.hrOrganisationIds.includes(holder.organisationId)) return c;
  }
  throw new AppError('certificate_not_found', 404);
}

/** Who may revoke certificates: reviewers and administrators (the verification page shows them the form). */
export const mayRevokeCertificates = (u: Pick<SessionUser, 'roles'>) => u.roles.includes('reviewer') || u.roles.includes('admin');

/**
 * Revokes a valid certificate with a reason of at least 3 characters (400 `revoke_reason_required`);
 * reviewers and administrators only (403); a revoked one stays revoked (409 on a second try).
 */
export function revokeCertificate(db: DB, code: string, by: SessionUser, reason: string, ip: string | null = null, now = new Date()): Certificate {
  if (!mayRevokeCertificates(by)) throw new AppError('forbidden', 403);
  reason = reason.trim();
  if (reason.length < 3) throw new AppError('revoke_reason_required', 400, 'reason');
  const c = findCertificate(db, code);
  if (!c) throw new AppError('certificate_not_found', 404);
  return db.transaction((tx) => {
    const updated = tx
      .update(certificates)
      .set({ revokedAt: now, revokedBy: by.id, revokeReason: reason })
      .where(and(eq(certificates.id, c.id), isNull(certificates.revokedAt)))
      .returning()
      .get();
    if (!updated) throw new AppError('certificate_already_revoked', 409);
    recordAudit(tx, { actorId: by.id, action: 'certificate.revoked', targetType: 'certificate', targetId: c.code, details: { userId: c.userId, reason }, ip }, now);
    const holder = tx.select({ email: users.email, organisationId: users.organisationId }).from(users).where(eq(users.id, c.userId)).get();
    const course = tx.select({ slug: courses.slug }).from(courses).where(eq(courses.id, c.courseId)).get();
    enqueue(
      tx,
      'completion.revoked',
      {
        certificateNumber: c.code,
        servant: { id: c.userId, email: holder?.email ?? null, name: c.holderName },
        organisationId: holder?.organisationId ?? null,
        course: { slug: course?.slug ?? null, titleKy: c.courseTitleKy, titleRu: c.courseTitleRu },
        hours: c.hours,
        completedOn: c.completedOn,
        revokedOn: bishkekDay(now),
        reason,
      },
      now,
    );
    notify(tx, {
      userId: c.userId, kind: 'certificate_revoked', link: 'my/certificates', ref: `certificate:${c.id}:revoked`,
      params: { course: { ky: c.courseTitleKy, ru: c.courseTitleRu }, number: c.code, reason },
    }, now);
    return updated;
  });
}
