import { TIME_ZONE } from './i18n';

/** The calendar day (YYYY-MM-DD) of an instant in Bishkek, where the service's days begin and end. */
export function bishkekDay(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}
