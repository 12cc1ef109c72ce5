import { TIME_ZONE } from './i18n';

/** The calendar day (YYYY-MM-DD) of an instant in Bishkek, where the service's days begin and end. */
export function bishkekDay(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** The first millisecond after a Bishkek calendar day (YYYY-MM-DD): Bishkek keeps UTC+6 all year. */
export function bishkekDayEnd(day: string): number {
  return Date.parse(`${day}T00:00:00+06:00`) + 86_400_000;
}
