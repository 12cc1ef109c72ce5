/**
 * Training providers: the organisations of the tree of kind `provider`. A course names one (chosen from
 * this list in the authoring form, by its code in a course package), a trainer belongs to one, the
 * academy dashboard groups by them. The rules of what may be named a course's provider live here.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DB } from '@db/client';
import { organisations } from '@db/schema';
import type { Region, Service } from '@db/domain';
import { AppError } from '@server/lib/errors';

export type TrainingProvider = { id: number; code: string | null; nameKy: string; nameRu: string; closed: boolean };

const columns = { id: organisations.id, code: organisations.code, nameKy: organisations.nameKy, nameRu: organisations.nameRu, closedAt: organisations.closedAt, kind: organisations.kind };
const out = (r: { id: number; code: string | null; nameKy: string; nameRu: string; closedAt: Date | null }): TrainingProvider => ({ id: r.id, code: r.code, nameKy: r.nameKy, nameRu: r.nameRu, closed: r.closedAt !== null });

/** The open training providers (closed ones too when asked), in Kyrgyz name order: the list a course's provider is chosen from. */
export function trainingProviders(db: DB, options: { includeClosed?: boolean } = {}): TrainingProvider[] {
  return db
    .select(columns)
    .from(organisations)
    .where(options.includeClosed ? eq(organisations.kind, 'provider') : and(eq(organisations.kind, 'provider'), isNull(organisations.closedAt)))
    .orderBy(asc(organisations.nameKy), asc(organisations.id))
    .all()
    .map(out);
}

/** A training provider by id (closed ones included), or undefined when there is none or the organisation is of another kind. */
export function trainingProvider(db: DB, id: number): TrainingProvider | undefined {
  const r = db.select(columns).from(organisations).where(eq(organisations.id, id)).get();
  return r && r.kind === 'provider' ? out(r) : undefined;
}

/**
 * The provider a course or a trainer may be given now: an open organisation of kind `provider`.
 * 404 `provider_not_found` (no such organisation, or not a training provider), 409 `provider_closed`;
 * `field` names the form field at fault.
 */
export function assertOpenProvider(db: DB, id: number, field: string): TrainingProvider {
  const p = trainingProvider(db, id);
  if (!p) throw new AppError('provider_not_found', 404, field);
  if (p.closed) throw new AppError('provider_closed', 409, field);
  return p;
}

/**
 * Why a package's provider code cannot be used (null: it can, with the id): no organisation has the
 * code, the organisation is not a training provider, or it is closed. The words are for the person
 * importing (English, as every package error).
 */
export function providerByCode(db: DB, code: string): { id: number } | { problem: string } {
  const r = db.select(columns).from(organisations).where(eq(organisations.code, code)).get();
  if (!r) return { problem: `no organisation has the code "${code}" (give the training provider this code in Administration → Organisations, or list it in providers.json)` };
  if (r.kind !== 'provider') return { problem: `the organisation with the code "${code}" is not a training provider` };
  if (r.closedAt) return { problem: `the training provider "${code}" is closed` };
  return { id: r.id };
}

/** A training provider a course library declares (courses/providers.json). */
export type DeclaredProvider = { code: string; name: { ky: string; ru: string }; service: Service; region: Region };

/**
 * Makes sure each provider a course library declares is in the tree, so its packages may name it:
 * a code already held by a training provider is left as it is (the administrator owns its names);
 * held by an organisation of another kind, it is refused (returns the reason); otherwise an uncoded
 * training provider with the same Kyrgyz or Russian name takes the code (one migrated from free text,
 * or made by hand), else a new one is created.
 */
export function ensureDeclaredProviders(db: DB, declared: DeclaredProvider[], now = new Date()): { code: string; problem: string } | null {
  for (const d of declared) {
    const holder = db.select(columns).from(organisations).where(eq(organisations.code, d.code)).get();
    if (holder) {
      if (holder.kind !== 'provider') return { code: d.code, problem: `the code "${d.code}" belongs to an organisation that is not a training provider` };
      continue;
    }
    const uncoded = db
      .select({ id: organisations.id, nameKy: organisations.nameKy, nameRu: organisations.nameRu })
      .from(organisations)
      .where(and(eq(organisations.kind, 'provider'), isNull(organisations.code)))
      .orderBy(asc(organisations.id))
      .all()
      .find((o) => o.nameKy.trim() === d.name.ky || o.nameRu.trim() === d.name.ru);
    if (uncoded) db.update(organisations).set({ code: d.code }).where(eq(organisations.id, uncoded.id)).run();
    else db.insert(organisations).values({ kind: 'provider', service: d.service, region: d.region, nameKy: d.name.ky, nameRu: d.name.ru, code: d.code, createdAt: now }).run();
  }
  return null;
}

/** The names of providers by id (for lists that show a provider beside each row). */
export function providerNames(db: DB): Map<number, { ky: string; ru: string }> {
  return new Map(trainingProviders(db, { includeClosed: true }).map((p) => [p.id, { ky: p.nameKy, ru: p.nameRu }]));
}
