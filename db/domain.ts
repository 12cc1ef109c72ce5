/** The closed vocabularies of the service (../shared/DOMAIN.md). Labels live in locales/ under `<name>.<value>`. */
export const LOCALES = ['ky', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ky';

export const ROLES = ['learner', 'trainer', 'hr', 'reviewer', 'admin', 'personnel_officer', 'commission_member', 'candidate'] as const;
export type Role = (typeof ROLES)[number];

export const SERVICES = ['state', 'municipal'] as const;
export const POST_KINDS = ['political', 'special', 'administrative'] as const;
export const ADMIN_GROUPS = ['highest', 'main', 'senior', 'junior'] as const;
export const GENDERS = ['female', 'male'] as const;
export const ORGANISATION_KINDS = ['state_body', 'local_government', 'subunit', 'provider'] as const;
export const REGIONS = [
  'bishkek',
  'osh_city',
  'batken',
  'jalal_abad',
  'issyk_kul',
  'naryn',
  'osh',
  'talas',
  'chui',
] as const;
export const CATEGORIES = ['ethics', 'anticorruption', 'language', 'digital', 'service', 'management'] as const;
export const LESSON_KINDS = ['theory', 'practice'] as const;

export function isLocale(value: unknown): value is Locale {
  return value === 'ky' || value === 'ru';
}

export type Service = (typeof SERVICES)[number];
export type PostKind = (typeof POST_KINDS)[number];
export type AdminGroup = (typeof ADMIN_GROUPS)[number];
export type Gender = (typeof GENDERS)[number];
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export type Region = (typeof REGIONS)[number];
export type Category = (typeof CATEGORIES)[number];
export type LessonKind = (typeof LESSON_KINDS)[number];

export const TRAINING_KINDS = ['retraining', 'advanced', 'seminar', 'internship'] as const;
export const TRAINING_TERMS = ['short', 'medium', 'long'] as const;
export const FUNDING_SOURCES = ['state_order', 'departmental', 'donor', 'other'] as const;

/** A lesson text as stored (Tiptap / ProseMirror JSON); server/lib/lesson-schema.ts says what it may contain. */
export type TiptapMark = { type: string; attrs?: Record<string, unknown> };
export type TiptapNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: TiptapNode[];
  text?: string;
  marks?: TiptapMark[];
};
