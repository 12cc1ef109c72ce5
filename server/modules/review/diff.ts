/**
 * A new version of a published course against the version learners have now: what changed in the
 * lessons (their text paragraph by paragraph, titles, video, attachments), the questions, the tests'
 * settings and the completion rule. And which checklist items cover only what did not change, so a
 * reviewer's earlier "passed" on them is kept for the new round (review/service takeIntoReview).
 */
import type { CompletionRule } from '@db/schema';
import type { ChecklistItem } from '@db/schema/review';
import type { TiptapNode } from '@server/lib/tiptap';
import { completionRuleOf } from '../catalog/service';
import { canonicalJson } from '../authoring/service';
import type { DraftContent, DraftLesson } from '../authoring/content';

type Lang = 'ky' | 'ru';
const LANGS: Lang[] = ['ky', 'ru'];

/** One line of a text diff: kept lines are left out, only what was removed and added. */
export type LineChange = { op: 'removed' | 'added'; text: string };

export type LessonChange = {
  slug: string;
  title: { ky?: string; ru?: string };
  change: 'added' | 'removed' | 'changed';
  /** the text, per language, line by line (paragraphs, headings, list items, table cells) */
  text: Partial<Record<Lang, LineChange[]>>;
  titleChanged: boolean;
  videoChanged: boolean;
  attachmentsChanged: boolean;
  /** kind, minutes or module */
  settingsChanged: boolean;
};

export type ItemChange = { id: string; change: 'added' | 'removed' | 'changed'; title: { ky?: string; ru?: string } };
/** A changed setting of a test: its name in quizzes.json, before and after (null: not set). */
export type SettingChange = { field: string; before: unknown; after: unknown };
export type QuizChange = ItemChange & { settings: SettingChange[] };

export type PublishedDiff = {
  lessons: LessonChange[];
  questions: ItemChange[];
  quizzes: QuizChange[];
  completion: { before: CompletionRule; after: CompletionRule; beforeCounts: QuizCounts; afterCounts: QuizCounts } | null;
  /** course title, summary, description, objectives, audience, hours… (manifest fields other than modules) */
  settings: string[];
  /** checklist items whose part of the course is exactly as published */
  unchangedItems: ChecklistItem[];
};

/** The readable lines of a lesson document: each paragraph, heading, code block or cell its own line. */
export function docLines(doc: TiptapNode | undefined): string[] {
  const out: string[] = [];
  const text = (n: TiptapNode): string => (n.type === 'text' ? n.text ?? '' : n.type === 'hardBreak' ? ' ' : (n.content ?? []).map(text).join(''));
  const walk = (n: TiptapNode) => {
    if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'codeBlock') {
      const t = text(n).replace(/\s+/g, ' ').trim();
      if (t) out.push(t);
      return;
    }
    if (n.type === 'image') {
      out.push(`[${String(n.attrs?.alt ?? '')}]`);
      return;
    }
    for (const c of n.content ?? []) walk(c);
  };
  if (doc) walk(doc);
  return out;
}

/** Lines removed and added from `before` to `after` (longest common subsequence; lessons are short). */
export function lineDiff(before: string[], after: string[]): LineChange[] {
  const n = before.length;
  const m = after.length;
  // bounded: a lesson of thousands of paragraphs is shown as all removed / all added
  if (n * m > 4_000_000) return [...before.map((text) => ({ op: 'removed' as const, text })), ...after.map((text) => ({ op: 'added' as const, text }))];
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: 'removed', text: before[i++]! });
    else out.push({ op: 'added', text: after[j++]! });
  }
  while (i < n) out.push({ op: 'removed', text: before[i++]! });
  while (j < m) out.push({ op: 'added', text: after[j++]! });
  return out;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function lessonsBySlug(c: DraftContent): Map<string, { lesson: DraftLesson; module: number }> {
  return new Map(c.manifest.modules.flatMap((m, i) => m.lessons.map((l) => [l.slug, { lesson: l, module: i }] as const)));
}

function lessonChange(slug: string, before: { lesson: DraftLesson; module: number } | undefined, after: { lesson: DraftLesson; module: number } | undefined): LessonChange | null {
  const b = before?.lesson;
  const a = after?.lesson;
  const text: LessonChange['text'] = {};
  for (const lang of LANGS) {
    const d = lineDiff(docLines(b?.doc[lang] as TiptapNode | undefined), docLines(a?.doc[lang] as TiptapNode | undefined));
    if (d.length) text[lang] = d;
  }
  // a change of the document that is not in its words (a mark, a link, a table's shape) still counts
  const docChanged = !same(b?.doc, a?.doc);
  const change: LessonChange = {
    slug,
    title: (a ?? b)!.title,
    change: !b ? 'added' : !a ? 'removed' : 'changed',
    text,
    titleChanged: !same(b?.title, a?.title),
    videoChanged: !same(b?.video, a?.video),
    attachmentsChanged: !same(b?.attachments ?? [], a?.attachments ?? []),
    settingsChanged: !same([b?.kind, b?.minutes, before?.module, b?.scorm], [a?.kind, a?.minutes, after?.module, a?.scorm]),
  };
  if (change.change === 'changed' && !docChanged && !change.titleChanged && !change.videoChanged && !change.attachmentsChanged && !change.settingsChanged) return null;
  return change;
}

function itemChanges<T extends Record<string, unknown>>(before: T[], after: T[]): { id: string; change: ItemChange['change']; before?: T; after?: T }[] {
  const b = new Map(before.map((x) => [String(x.id), x]));
  const a = new Map(after.map((x) => [String(x.id), x]));
  const out: { id: string; change: ItemChange['change']; before?: T; after?: T }[] = [];
  for (const [id, x] of a) {
    const old = b.get(id);
    if (!old) out.push({ id, change: 'added', after: x });
    else if (!same(old, x)) out.push({ id, change: 'changed', before: old, after: x });
  }
  for (const [id, x] of b) if (!a.has(id)) out.push({ id, change: 'removed', before: x });
  return out;
}

const QUIZ_SETTINGS = ['kind', 'modulePosition', 'draw', 'shuffleQuestions', 'shuffleOptions', 'timeLimitMinutes', 'attempts', 'grading', 'passPercent', 'opensAt', 'closesAt', 'review', 'title', 'intro'];

export type QuizCounts = { moduleQuizzes: number; finalTest: boolean };
const countsOf = (c: DraftContent): QuizCounts => ({
  moduleQuizzes: c.quizzes.quizzes.filter((q) => q.kind === 'module').length,
  finalTest: c.quizzes.quizzes.some((q) => q.kind === 'final') || c.manifest.modules.some((m) => m.lessons.some((l) => l.scorm?.finalTest === true)),
});
const ruleOf = (c: DraftContent) => completionRuleOf({ completion: c.manifest.completion, quiz: c.quizzes, modules: c.manifest.modules });

/** What each checklist item looks at (review/facts.ts), as a value: the item is unchanged when it is equal. */
function coverage(c: DraftContent): Record<ChecklistItem, unknown> {
  const lessons = c.manifest.modules.flatMap((m) => m.lessons);
  return {
    objectives: c.manifest.objectives,
    // every text in both languages
    languages: c,
    practice: c.manifest.modules.map((m) => m.lessons.map((l) => [l.slug, l.kind, l.minutes, l.scorm ?? null])),
    assessment: [c.questions, c.quizzes, ruleOf(c)],
    accessibility: lessons.map((l) => [l.slug, l.video ?? null, l.attachments ?? [], l.doc]),
  };
}

/** The draft against the version it was made from; null for a draft of a new course. */
export function publishedDiff(base: DraftContent | null, draft: DraftContent): PublishedDiff | null {
  if (!base) return null;
  const before = lessonsBySlug(base);
  const after = lessonsBySlug(draft);
  const lessons: LessonChange[] = [];
  for (const slug of [...after.keys(), ...[...before.keys()].filter((s) => !after.has(s))]) {
    const ch = lessonChange(slug, before.get(slug), after.get(slug));
    if (ch) lessons.push(ch);
  }
  const questions = itemChanges(base.questions.questions, draft.questions.questions).map(({ id, change, before: b, after: a }) => ({
    id,
    change,
    title: ((a ?? b)!.text ?? {}) as { ky?: string; ru?: string },
  }));
  const quizzes = itemChanges(base.quizzes.quizzes, draft.quizzes.quizzes).map(({ id, change, before: b, after: a }) => ({
    id,
    change,
    title: ((a ?? b)!.title ?? {}) as { ky?: string; ru?: string },
    settings: change === 'changed' ? QUIZ_SETTINGS.filter((f) => !same(b![f], a![f])).map((field) => ({ field, before: b![field] ?? null, after: a![field] ?? null })) : [],
  }));
  const rb = ruleOf(base);
  const ra = ruleOf(draft);
  const { modules: _bm, completion: _bc, ...baseSettings } = base.manifest;
  const { modules: _am, completion: _ac, ...draftSettings } = draft.manifest;
  const settings = [...new Set([...Object.keys(baseSettings), ...Object.keys(draftSettings)])].filter(
    (k) => !same((baseSettings as Record<string, unknown>)[k], (draftSettings as Record<string, unknown>)[k]),
  );
  const cb = coverage(base);
  const ca = coverage(draft);
  return {
    lessons,
    questions,
    quizzes,
    completion: same(rb, ra) ? null : { before: rb, after: ra, beforeCounts: countsOf(base), afterCounts: countsOf(draft) },
    settings,
    unchangedItems: (Object.keys(cb) as ChecklistItem[]).filter((item) => same(cb[item], ca[item])),
  };
}
