/**
 * The one rule for a new password, used wherever one is set (a reset or invitation link, the admin
 * create script, createPerson, any future change-password form): long enough and not trivially
 * guessable. Throws AppError(code, 400, 'password'):
 * - `password_too_short` / `invalid_input`: under MIN_PASSWORD_LENGTH or over MAX_PASSWORD_LENGTH;
 * - `password_pattern`: one character or a short group repeated, a run such as abcdef or 987654, or a
 *   keyboard row (qwerty, йцукен, 1q2w3e);
 * - `password_too_common`: one of the common passwords or words in COMMON_PASSWORDS, also with digits
 *   or signs before or after it ("Password2026!");
 * - `password_personal`: the person's e-mail, the part before @, their name or a part of it, give or
 *   take digits and signs.
 * Sign-in never applies it: an old password keeps working until it is changed.
 */
import { AppError } from '@server/lib/errors';
import { COMMON_PASSWORDS } from './common-passwords';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

const COMMON = new Set(COMMON_PASSWORDS.map((p) => p.normalize('NFKC').toLowerCase()));

// Keyboard rows and columns (Latin and Russian/Kyrgyz layouts): a password inside one, forwards or
// backwards, is a walk along the keys.
const WALKS = [
  '1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю',
  '1q2w3e4r5t6y7u8i9o0p', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p', 'qazwsxedcrfvtgbyhnujmikolp', 'zaqxswcdevfrbgtnhymjukilop',
  'abcdefghijklmnopqrstuvwxyz', 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
];

/** Only one short group repeated ("aaaa", "abab", "123123"), a run of codes or a keyboard walk. */
function isPattern(p: string): boolean {
  for (let period = 1; period <= 4; period++) {
    if (p.length >= period * 2 && [...p].every((c, i) => c === p[i % period])) return true;
  }
  const codes = [...p].map((c) => c.codePointAt(0)!);
  const step = codes[1]! - codes[0]!;
  if (Math.abs(step) === 1 && codes.every((c, i) => i === 0 || c - codes[i - 1]! === step || (/\d/.test(p[i]!) && Math.abs(c - codes[i - 1]!) === 9))) return true;
  return WALKS.some((w) => {
    const round = w + w;
    const back = [...round].reverse().join('');
    return round.includes(p) || back.includes(p);
  });
}

const lettersOf = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}]/gu, '');
/** The password without digits and signs at either end: "Password2026!" → "password". */
const core = (s: string) => s.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');

export function checkNewPassword(password: string, person?: { email?: string | null; fullName?: string | null }): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError('password_too_short', 400, 'password');
  if (password.length > MAX_PASSWORD_LENGTH) throw new AppError('invalid_input', 400, 'password');
  const p = password.normalize('NFKC').toLowerCase();
  const base = core(p);
  if (isPattern(p) || (base.length >= 4 && isPattern(base))) throw new AppError('password_pattern', 400, 'password');
  if (COMMON.has(p) || COMMON.has(base) || COMMON.has(p.replace(/[^\p{L}\p{N}]/gu, ''))) throw new AppError('password_too_common', 400, 'password');
  if (person) {
    const letters = lettersOf(p);
    const email = person.email?.trim().toLowerCase() ?? '';
    const local = email.split('@')[0] ?? '';
    const words = (person.fullName ?? '').split(/\s+/).map(lettersOf).filter((w) => w.length >= 2);
    const personal = [lettersOf(email), lettersOf(local), words.join(''), [...words].reverse().join(''), ...words].filter((w) => w.length >= 2);
    if ((email && p.includes(email)) || (letters && personal.includes(letters))) throw new AppError('password_personal', 400, 'password');
  }
}
