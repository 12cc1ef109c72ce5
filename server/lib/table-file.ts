/**
 * Every table the platform lets people download (HR lists, the completions export, reports) is written
 * here, so that one place decides how a cell leaves the platform:
 * - `neutraliseCell` is the only formula guard: any text a spreadsheet could run as a formula gets a
 *   leading apostrophe, in CSV and XLSX alike;
 * - XLSX cells are typed: numbers are numbers, dates are real date cells (a day as `dd.mm.yyyy`, an
 *   instant as `dd.mm.yyyy hh:mm`, Bishkek time), text is text, never a formula;
 * - CSV comes in two forms: `csv`, the standard form (RFC 4180, comma), and `csv-semicolon`, the form a
 *   Russian-locale Excel opens with a double click (semicolon; it reads comma as the decimal mark).
 *   Both are UTF-8 with a byte-order mark (Excel needs it to read Cyrillic) and CRLF line ends.
 */
import type ExcelJS from 'exceljs';

export const TABLE_FORMATS = ['csv', 'csv-semicolon', 'xlsx'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `day`: a YYYY-MM-DD string; `instant`: a Date or ISO timestamp. */
export type CellType = 'text' | 'number' | 'day' | 'instant';
export type Cell = string | number | Date | null | undefined;
export type TableColumn<R> = { header: string; type?: CellType; value: (row: R) => Cell };
export type Table<R> = { sheet: string; columns: TableColumn<R>[]; rows: R[] };

/*
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before one; the full-width forms
 * too). CSV files are also opened by spreadsheets that split on another character than ours: Excel in a
 * Russian locale splits on ";" and ignores our quotes around a comma-separated cell, so the text
 * after a "," or ";" inside a cell starts a cell of its own. neutraliseCell therefore puts an
 * apostrophe (the spreadsheet's own "this is text" sign) before any such start: at the beginning of
 * the text and after every "," or ";" (quotes and spaces between do not help the formula).
 */
const FORMULA_START = /^([\s"']*)([=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r])/;
const AFTER_SEPARATOR = /([,;])([\s"]*)(?=[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r])/g;

/** Text that no spreadsheet reads as a formula, however it splits the line. */
export function neutraliseCell(value: string): string {
  let s = value.replace(AFTER_SEPARATOR, "$1$2'");
  if (FORMULA_START.test(s)) s = `'${s}`;
  return s;
}

const BISHKEK_MS = 6 * 3_600_000;

function asDate(type: CellType, v: Cell): Date | null {
  if (v === null || v === undefined || v === '') return null;
  if (type === 'day') {
    const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
    const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00Z`) : null;
    return d && !Number.isNaN(d.getTime()) ? d : null;
  }
  const d = v instanceof Date ? v : new Date(String(v));
  // the sheet shows wall-clock time in Bishkek: a spreadsheet date has no zone
  return Number.isNaN(d.getTime()) ? null : new Date(d.getTime() + BISHKEK_MS);
}

/** The text of one CSV cell (before quoting): dates as ISO day / ISO instant, text neutralised. */
function csvText(type: CellType, v: Cell): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return type === 'day' ? v.toISOString().slice(0, 10) : v.toISOString();
  if (typeof v === 'number') return String(v);
  return neutraliseCell(v);
}

// quoted on either separator, so a cell reads the same whichever one the spreadsheet splits on
function quote(s: string): string {
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of plain cells as one CSV document (BOM, CRLF, quoted where needed, every cell neutralised). */
export function csvOf(header: string[], rows: Cell[][], sep: ',' | ';' = ','): string {
  return tableCsv({ sheet: '', columns: header.map((h, i) => ({ header: h, value: (r: Cell[]) => r[i] })), rows }, sep);
}

export function tableCsv<R>(table: Table<R>, sep: ',' | ';' = ','): string {
  const line = (cells: string[]) => cells.map(quote).join(sep);
  const lines = [line(table.columns.map((c) => neutraliseCell(c.header))), ...table.rows.map((r) => line(table.columns.map((c) => csvText(c.type ?? 'text', c.value(r)))))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * A new workbook. exceljs takes ~0.5 s to load, so it is loaded with the first spreadsheet, not by
 * every process that imports a module offering downloads (each server start, each test file).
 */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import('exceljs');
  return new excel.Workbook();
}

/** Adds one worksheet with a bold header row and typed cells. */
export function addSheet<R>(wb: ExcelJS.Workbook, table: Table<R>): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(table.sheet.slice(0, 31));
  ws.addRow(table.columns.map((c) => neutraliseCell(c.header)));
  ws.getRow(1).font = { bold: true };
  table.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    if (c.type === 'day') col.numFmt = 'dd.mm.yyyy';
    if (c.type === 'instant') col.numFmt = 'dd.mm.yyyy hh:mm';
    col.width = c.type === 'day' ? 12 : c.type === 'instant' ? 17 : c.type === 'number' ? 10 : 24;
  });
  for (const r of table.rows) {
    ws.addRow(
      table.columns.map((c) => {
        const v = c.value(r);
        const type = c.type ?? 'text';
        if (type === 'day' || type === 'instant') return asDate(type, v);
        if (v === null || v === undefined) return null;
        if (type === 'number') return typeof v === 'number' ? v : Number(v);
        return neutraliseCell(v instanceof Date ? v.toISOString() : String(v));
      }),
    );
  }
  // the header row keeps its text format even in date columns
  ws.getRow(1).eachCell((cell) => (cell.numFmt = '@'));
  return ws;
}

export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

export async function tableXlsx<R>(table: Table<R>): Promise<Uint8Array<ArrayBuffer>> {
  const wb = await newWorkbook();
  wb.creator = 'Bilim';
  addSheet(wb, table);
  return workbookBytes(wb);
}

/** The body and headers of a download: `<name>.csv` or `<name>.xlsx`. */
export async function tableFile<R>(table: Table<R>, format: TableFormat, name: string): Promise<{ body: string | Uint8Array<ArrayBuffer>; headers: Record<string, string> }> {
  if (format === 'xlsx') return { body: await tableXlsx(table), headers: { 'Content-Type': XLSX_TYPE, 'Content-Disposition': `attachment; filename="${name}.xlsx"` } };
  const sep = format === 'csv-semicolon' ? ';' : ',';
  return {
    body: tableCsv(table, sep),
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"` },
  };
}
