import { count, eq } from 'drizzle-orm';
import type { DB } from './client';
import { users } from './schema';
import { createOrganisation } from '../server/modules/organisations/service';
import { createPerson } from '../server/modules/people/service';

export const DEMO_PASSWORD = 'demo-password-2026';

export function isEmpty(db: DB): boolean {
  return db.select({ n: count() }).from(users).get()!.n === 0;
}

/**
 * Demo organisations and the demo accounts of shared/API.md. Only for demo mode: the start script
 * never calls this when NODE_ENV=production.
 */
export async function seedDemo(db: DB): Promise<void> {
  const ministry = createOrganisation(db, {
    kind: 'state_body', service: 'state', region: 'bishkek',
    nameKy: 'Кыргыз Республикасынын Финансы министрлиги', nameRu: 'Министерство финансов Кыргызской Республики',
  });
  const budget = createOrganisation(db, {
    parentId: ministry.id, kind: 'subunit', service: 'state', region: 'bishkek',
    nameKy: 'Бюджеттик саясат башкармалыгы', nameRu: 'Управление бюджетной политики',
  });
  createOrganisation(db, {
    parentId: ministry.id, kind: 'subunit', service: 'state', region: 'bishkek',
    nameKy: 'Ички аудит бөлүмү', nameRu: 'Отдел внутреннего аудита',
  });
  createOrganisation(db, {
    kind: 'state_body', service: 'state', region: 'bishkek',
    nameKy: 'Кыргыз Республикасынын Санариптик өнүктүрүү министрлиги', nameRu: 'Министерство цифрового развития Кыргызской Республики',
  });
  const osh = createOrganisation(db, {
    kind: 'local_government', service: 'municipal', region: 'osh_city',
    nameKy: 'Ош шаарынын мэриясы', nameRu: 'Мэрия города Ош',
  });
  const village = createOrganisation(db, {
    kind: 'local_government', service: 'municipal', region: 'osh',
    nameKy: 'Кара-Суу айыл өкмөтү', nameRu: 'Айыл окмоту Кара-Суу',
  });
  const academy = createOrganisation(db, {
    kind: 'provider', service: 'state', region: 'bishkek',
    nameKy: 'Кыргыз Республикасынын Президентине караштуу Жусуп Абдрахманов атындагы Мамлекеттик башкаруу академиясы',
    nameRu: 'Академия государственного управления при Президенте Кыргызской Республики имени Жусупа Абдрахманова',
  });

  const password = DEMO_PASSWORD;
  await createPerson(db, {
    email: 'learner@demo.kg', password, fullName: 'Айгүл Асанова', organisationId: budget.id,
    positionTitle: 'Башкы адис', postKind: 'administrative', adminGroup: 'senior', service: 'state',
    gender: 'female', appointmentDate: '2021-03-15', locale: 'ky',
  });
  await createPerson(db, {
    email: 'trainer@demo.kg', password, fullName: 'Бакыт Осмонов', organisationId: academy.id,
    positionTitle: 'Окутуучу', locale: 'ky', roles: [{ role: 'learner' }, { role: 'trainer' }],
  });
  await createPerson(db, {
    email: 'hr@demo.kg', password, fullName: 'Нургүл Токтогулова', organisationId: ministry.id,
    positionTitle: 'Кадр кызматынын башчысы', postKind: 'administrative', adminGroup: 'main', service: 'state',
    gender: 'female', appointmentDate: '2018-09-01', locale: 'ky',
    roles: [{ role: 'learner' }, { role: 'hr', organisationId: ministry.id }],
  });
  await createPerson(db, {
    email: 'reviewer@demo.kg', password, fullName: 'Елена Ким', organisationId: academy.id,
    positionTitle: 'Методист', locale: 'ru', roles: [{ role: 'reviewer' }],
  });
  await createPerson(db, {
    email: 'admin@demo.kg', password, fullName: 'Тимур Жээнбеков', organisationId: academy.id,
    positionTitle: 'Платформанын администратору', locale: 'ky', roles: [{ role: 'admin' }],
  });
  await createPerson(db, {
    email: 'municipal@demo.kg', password, fullName: 'Эрлан Мамытов', organisationId: village.id,
    positionTitle: 'Жер маселелери боюнча адис', postKind: 'administrative', adminGroup: 'junior', service: 'municipal',
    gender: 'male', appointmentDate: '2019-06-03', locale: 'ky',
  });
  await createPerson(db, {
    email: 'ayil@demo.kg', password, fullName: 'Гүлзат Сыдыкова', organisationId: village.id,
    positionTitle: 'Социалдык маселелер боюнча адис', postKind: 'administrative', adminGroup: 'junior', service: 'municipal',
    gender: 'female', appointmentDate: '2022-10-17', locale: 'ky',
  });
  await createPerson(db, {
    email: 'osh@demo.kg', password, fullName: 'Динара Юсупова', organisationId: osh.id,
    positionTitle: 'Бөлүм башчысы', postKind: 'administrative', adminGroup: 'main', service: 'municipal',
    gender: 'female', appointmentDate: '2016-02-10', locale: 'ru',
  });
}

export const DEMO_EMAILS = ['learner@demo.kg', 'trainer@demo.kg', 'hr@demo.kg', 'reviewer@demo.kg', 'admin@demo.kg'];

/** Demo mode: not production, and the demo accounts are there (so a sign-in page may name them). */
export function isDemoMode(db: DB): boolean {
  if (process.env.NODE_ENV === 'production') return false;
  return db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_EMAILS[0]!)).get() !== undefined;
}
