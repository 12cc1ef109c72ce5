/**
 * SCORM runtime data as the completion rule reads it: what a package's committed CMI data says about
 * completion, success and score (SCORM 1.2's one lesson_status mapped onto 2004's two statuses),
 * and the part of it a relaunch restores. Pure functions; the writes are in ./service.ts.
 */
import type { LessonScorm } from '@db/schema/catalog';

/** The largest CMI data kept for one lesson (2004 allows 64,000 characters of suspend data alone). */
export const SCORM_CMI_MAX_CHARS = 512 * 1024;

export type ScormStatus = { completion: 'completed' | 'incomplete' | 'not attempted' | 'unknown'; success: 'passed' | 'failed' | 'unknown'; score: number | null };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number | null => {
  const s = str(v).trim();
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};
const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

/** What the package's data says: completion, success, score as a fraction 0…1. */
export function scormStatus(scorm: Pick<LessonScorm, 'version' | 'masteryScore' | 'scaledPassingScore'>, cmi: Obj): ScormStatus {
  if (scorm.version === '1.2') {
    const core = obj(cmi.core);
    const status = str(core.lesson_status);
    const s = obj(core.score);
    const raw = num(s.raw);
    const max = num(s.max) ?? 100;
    const min = num(s.min) ?? 0;
    const score = raw === null ? null : clamp01(max > min ? (raw - min) / (max - min) : raw / 100);
    let success: ScormStatus['success'] = status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'unknown';
    // SCORM 1.2 RTE 3.4.4: with a mastery score, the LMS decides passed or failed from the raw score.
    if (scorm.masteryScore !== null && raw !== null && (status === 'completed' || status === 'passed' || status === 'failed')) success = raw >= scorm.masteryScore ? 'passed' : 'failed';
    const completion: ScormStatus['completion'] =
      status === 'completed' || status === 'passed' || status === 'failed' ? 'completed' : status === 'incomplete' || status === 'browsed' ? 'incomplete' : status === 'not attempted' ? 'not attempted' : 'unknown';
    return { completion, success, score };
  }
  const completionRaw = str(cmi.completion_status);
  const successRaw = str(cmi.success_status);
  const s = obj(cmi.score);
  const scaled = num(s.scaled);
  const raw = num(s.raw);
  const max = num(s.max);
  const min = num(s.min) ?? 0;
  const score = scaled !== null ? clamp01(scaled) : raw !== null && max !== null && max > min ? clamp01((raw - min) / (max - min)) : null;
  let success: ScormStatus['success'] = successRaw === 'passed' ? 'passed' : successRaw === 'failed' ? 'failed' : 'unknown';
  // SCORM 2004 RTE 4.2.22: with a scaled passing score and a scaled score, the LMS decides.
  if (scorm.scaledPassingScore !== null && scaled !== null) success = scaled >= scorm.scaledPassingScore ? 'passed' : 'failed';
  const completion: ScormStatus['completion'] =
    completionRaw === 'completed' ? 'completed' : completionRaw === 'incomplete' ? 'incomplete' : completionRaw === 'not attempted' ? 'not attempted' : 'unknown';
  return { completion, success, score };
}

/**
 * What a relaunch loads into the runtime from the committed data: location, suspend data, statuses,
 * score, total time (with this session's time added), interactions (readable in 2004), and the entry
 * mode (`resume` after a suspended session, `ab-initio` the first time).
 */
export function scormRestore(version: '1.2' | '2004', cmi: Obj | null): Obj {
  if (!cmi) return version === '1.2' ? { core: { entry: 'ab-initio' } } : { entry: 'ab-initio' };
  const pick = (o: Obj, keys: string[]) => Object.fromEntries(keys.filter((k) => o[k] !== undefined && o[k] !== '').map((k) => [k, o[k]]));
  if (version === '1.2') {
    const core = obj(cmi.core);
    const suspended = str(core.exit) === 'suspend';
    return {
      core: { ...pick(core, ['lesson_location', 'lesson_status', 'total_time']), score: pick(obj(core.score), ['raw', 'min', 'max']), entry: suspended ? 'resume' : '' },
      ...pick(cmi, ['suspend_data', 'comments']),
    };
  }
  const suspended = str(cmi.exit) === 'suspend';
  return {
    ...pick(cmi, ['location', 'suspend_data', 'completion_status', 'success_status', 'total_time', 'progress_measure']),
    score: pick(obj(cmi.score), ['scaled', 'raw', 'min', 'max']),
    ...(cmi.interactions && typeof cmi.interactions === 'object' ? { interactions: cmi.interactions } : {}),
    entry: suspended ? 'resume' : '',
  };
}
