import type { Translator } from '@server/lib/i18n';
import type { Attempt } from '@server/modules/quiz/service';

/** A percent as the reader's language writes it, at most one decimal. */
export function percent(tr: Translator, value: number): string {
  return new Intl.NumberFormat(tr.locale, { maximumFractionDigits: 1 }).format(value);
}

/** An attempt's state in words: in progress, waiting for a trainer, or its score with pass/fail. */
export function attemptStatus(tr: Translator, a: Attempt): string {
  if (a.status === 'in_progress') return tr.t('quiz.status.in_progress');
  if (a.needsGrading || a.percent === null) return tr.t('quiz.status.grading');
  return `${percent(tr, a.percent)}% · ${tr.t(a.passed ? 'quiz.passed' : 'quiz.failed')}`;
}

/** The quiz's name: its own title, after "Module N test" or "Final test". */
export function quizLabel(tr: Translator, q: { kind: 'module' | 'final'; modulePosition: number | null }): string {
  return q.kind === 'final' ? tr.t('quiz.finalLabel') : tr.t('quiz.moduleLabel', { number: q.modulePosition ?? 0 });
}

type Bi = { ky: string; ru: string };
/** A response as lines the reader can check: the typed text, the chosen texts, the order of items. */
export function describeResponse(tr: Translator, kind: string, options: any, response: any, summary: { label: Bi }[] | undefined): string[] {
  if (response === null || response === undefined) return [];
  switch (kind) {
    case 'short':
    case 'essay':
      return [String(response.text ?? '')];
    case 'numeric':
      return [new Intl.NumberFormat(tr.locale, { maximumFractionDigits: 10 }).format(response.value) + (options?.unit ? ` ${tr.pick(options.unit).text}` : '')];
    case 'ordering': {
      const items = (options?.items ?? []) as { id: string; text: Bi }[];
      return (response.order as string[]).map((id, i) => `${i + 1}. ${tr.pick(items.find((x) => x.id === id)?.text ?? { ky: '', ru: '' }).text}`);
    }
    default:
      return (summary ?? []).map((e) => tr.pick(e.label).text);
  }
}
