/**
 * Every table the platform exports (CSV and XLSX: HR completions, reports, the audit log, the academy's
 * quality report) goes through these functions, so that no exported cell can become a formula.
 *
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before one; the full-width forms
 * too). CSV files are also opened by spreadsheets that split on another character than ours: Excel in a
 * Russian locale splits on ";" and ignores our quotes around a comma-separated cell, so the text
 * after a "," or ";" inside a cell starts a cell of its own. guardCell therefore puts an apostrophe
 * (the spreadsheet's own "this is text" sign) before any such start: at the beginning of the text and
 * after every "," or ";" (quotes and spaces between do not help the formula).
 */

const FORMULA_START = /^([\s"']*)([=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r])/;
const AFTER_SEPARATOR = /([,;])([\s"]*)(?=[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r])/g;

/** Text that no spreadsheet reads as a formula, however it splits the line. */
export function guardCell(value: string): string {
  let s = value.replace(AFTER_SEPARATOR, "$1$2'");
  if (FORMULA_START.test(s)) s = `'${s}`;
  return s;
}

/** One CSV field: numbers as they are, text guarded, quoted (RFC 4180) where needed. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? String(value) : guardCell(value);
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV (CRLF, quoted where needed), UTF-8 with a byte-order mark for spreadsheets: a header row, then the rows. */
export function csvDocument(header: string[], rows: (string | number | null | undefined)[][]): string {
  const lines = [header.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A row for an XLSX sheet (exceljs addRow): text guarded the same way, numbers and dates typed. */
export function xlsxRow<T extends string | number | Date | null | undefined>(values: T[]): T[] {
  return values.map((v) => (typeof v === 'string' ? (guardCell(v) as T) : v));
}
