/**
 * What can be computed about a draft for the review checklist, shown next to each item to help the
 * reviewer (the reviewer still decides). Works on the draft content (authoring/content.ts).
 */
import { docHasText, type TiptapNode } from '@server/lib/tiptap';
import type { DraftContent } from '../authoring/content';
import { missingTranslations } from '../authoring/questions';
import { completionRuleOf } from '../catalog/service';
import type { CompletionRule } from '@db/schema/catalog';

export type ReviewFacts = {
  objectives: { ky: number; ru: number };
  languages: { missingKy: string[]; missingRu: string[] };
  practice: { lessons: number; practice: number; percent: number };
  captions: { videos: number; withBoth: number; missing: string[] };
  altText: { images: number; withAlt: number; missing: string[] };
  assessment: { questions: number; quizzes: number; finalTest: boolean; tags: number };
  /**
   * The completion rule the course will have once published (the package default filled in: the
   * final test required when there is one), whether the draft states it, and what it may ask for.
   */
  completion: { rule: CompletionRule; stated: boolean; finalTestRelaxed: boolean; moduleQuizzes: number; finalTest: boolean };
};

type Bi = { ky?: string | null; ru?: string | null } | undefined | null;
const present = (s: unknown) => typeof s === 'string' && s.trim() !== '';

function images(doc: TiptapNode | undefined): TiptapNode[] {
  const out: TiptapNode[] = [];
  const walk = (n: TiptapNode) => {
    if (n.type === 'image') out.push(n);
    (n.content ?? []).forEach(walk);
  };
  if (doc) walk(doc);
  return out;
}

export function reviewFacts(content: DraftContent): ReviewFacts {
  const m = content.manifest;
  const missingKy: string[] = [];
  const missingRu: string[] = [];
  const pair = (label: string, v: Bi) => {
    const ky = present(v?.ky);
    const ru = present(v?.ru);
    if (!ky) missingKy.push(label);
    if (!ru) missingRu.push(label);
  };
  pair('title', m.title);
  pair('summary', m.summary);
  pair('description', m.description);
  const objectives = { ky: (m.objectives?.ky ?? []).filter(present).length, ru: (m.objectives?.ru ?? []).filter(present).length };
  if (!objectives.ky) missingKy.push('objectives');
  if (!objectives.ru) missingRu.push('objectives');

  let lessons = 0;
  let practice = 0;
  let videos = 0;
  let withBoth = 0;
  const captionsMissing: string[] = [];
  let imageCount = 0;
  let withAlt = 0;
  const altMissing: string[] = [];
  m.modules.forEach((mod, mi) => {
    pair(`modules.${mi + 1}.title`, mod.title);
    mod.lessons.forEach((l) => {
      lessons++;
      if (l.kind === 'practice') practice++;
      pair(`${l.slug}.title`, l.title);
      // a SCORM lesson is its package: a text beside it is optional
      if (!l.scorm && !docHasText(l.doc.ky as TiptapNode | undefined)) missingKy.push(`${l.slug}.text`);
      if (!l.scorm && !docHasText(l.doc.ru as TiptapNode | undefined)) missingRu.push(`${l.slug}.text`);
      if (l.video) {
        videos++;
        if (l.video.captions.ky && l.video.captions.ru) withBoth++;
        else captionsMissing.push(l.slug);
      }
      for (const lang of ['ky', 'ru'] as const) {
        for (const img of images(l.doc[lang] as TiptapNode | undefined)) {
          imageCount++;
          if (present(img.attrs?.alt)) withAlt++;
          else altMissing.push(`${l.slug}.${lang}`);
        }
      }
      (l.attachments ?? []).forEach((a, i) => pair(`${l.slug}.attachments.${i + 1}`, a.title));
    });
  });

  for (const c of content.questions.categories) for (const p of missingTranslations(c.title)) (p === 'ky' ? missingKy : missingRu).push(`category:${c.id}`);
  for (const q of content.questions.questions) {
    for (const p of missingTranslations(q)) (p.endsWith('ky') ? missingKy : missingRu).push(`question:${String(q.id)}.${p.slice(0, -3)}`);
  }
  for (const z of content.quizzes.quizzes) {
    for (const p of missingTranslations(z)) (p.endsWith('ky') ? missingKy : missingRu).push(`quiz:${String(z.id)}.${p.slice(0, -3)}`);
  }

  const tags = new Set(content.questions.questions.flatMap((q) => (Array.isArray(q.tags) ? (q.tags as string[]) : [])));
  return {
    objectives,
    languages: { missingKy, missingRu },
    practice: { lessons, practice, percent: lessons ? Math.round((practice / lessons) * 100) : 0 },
    captions: { videos, withBoth, missing: captionsMissing },
    altText: { images: imageCount, withAlt, missing: altMissing },
    completion: {
      rule: completionRuleOf({ completion: m.completion, quiz: content.quizzes, modules: m.modules }),
      stated: m.completion !== undefined,
      finalTestRelaxed: m.completion?.finalTest === false && content.quizzes.quizzes.some((q) => q.kind === 'final'),
      moduleQuizzes: content.quizzes.quizzes.filter((q) => q.kind === 'module').length,
      finalTest: content.quizzes.quizzes.some((q) => q.kind === 'final'),
    },
    assessment: {
      questions: content.questions.questions.length,
      quizzes: content.quizzes.quizzes.length,
      finalTest: content.quizzes.quizzes.some((q) => q.kind === 'final'),
      tags: tags.size,
    },
  };
}
