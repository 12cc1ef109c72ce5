import { AccountBody } from '@server/modules/admin/accounts-routes';
import type { FormError } from './admin-page';
import { str } from './admin-page';

export const ACCOUNT_FORM_FIELDS = ['fullName', 'email', 'personalNumber', 'organisationId', 'positionTitle', 'service', 'locale'] as const;

/** The account form's values as typed (to show again) and, when they pass AccountBody, the fields to save. */
export function readAccountForm(form: FormData, errors: FormError[], error: (code: string) => string) {
  const values = Object.fromEntries(ACCOUNT_FORM_FIELDS.map((f) => [f, str(form, f, 400)])) as Record<string, string>;
  const parsed = AccountBody.safeParse({
    email: values.email,
    fullName: values.fullName,
    organisationId: /^\d{1,9}$/.test(values.organisationId!) ? Number(values.organisationId) : null,
    positionTitle: values.positionTitle || null,
    service: values.service || null,
    personalNumber: values.personalNumber || null,
    locale: values.locale || 'ky',
  });
  if (!parsed.success) {
    for (const f of new Set(parsed.error.issues.map((i) => String(i.path[0])))) errors.push({ field: `acc-${f}`, message: error('invalid_input') });
    return { values, body: null };
  }
  return { values, body: parsed.data };
}

/** A service error on an account field, pointed at the account form's field (ids start with acc-). */
export function accountFieldErrors(errors: FormError[]): FormError[] {
  return errors.map((e) => (e.field && (ACCOUNT_FORM_FIELDS as readonly string[]).includes(e.field) ? { ...e, field: `acc-${e.field}` } : e));
}
