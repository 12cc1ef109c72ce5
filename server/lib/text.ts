/**
 * Folds text for search and matching: lower case (Cyrillic included), ё→е, and the Kyrgyz letters
 * ң ө ү to н о у, because many keyboards cannot type them and people write the plain letter instead.
 * Punctuation becomes a space and runs of spaces collapse.
 */
export function foldForSearch(text: string): string {
  return text
    .toLocaleLowerCase('ru')
    .normalize('NFC')
    .replace(/ё/g, 'е')
    .replace(/ң/g, 'н')
    .replace(/ө/g, 'о')
    .replace(/ү/g, 'у')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Normalises a typed short answer for comparison: lower case, ё→е, punctuation and runs of spaces
 * collapse to one space. Kyrgyz ң ө ү stay distinct unless `foldKyrgyz` is set, because in a
 * short answer they can change the word (a course may still accept н о у typed for them).
 */
export function normaliseAnswer(text: string, options: { foldKyrgyz?: boolean } = {}): string {
  let s = text.normalize('NFC').toLocaleLowerCase('ru').replace(/ё/g, 'е');
  if (options.foldKyrgyz) s = s.replace(/ң/g, 'н').replace(/ө/g, 'о').replace(/ү/g, 'у');
  return s.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
