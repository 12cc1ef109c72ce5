import { has } from '@server/lib/i18n';
import type { Translator } from '@server/lib/i18n';

/** The translated name of an audit action, or its code for actions other modules add later. */
export function auditActionLabel(tr: Translator, action: string): string {
  const key = `auditAction.${action}`;
  return has(tr.locale, key) ? tr.t(key) : action;
}
