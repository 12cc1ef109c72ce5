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
