import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvOf, neutraliseCell, tableXlsx } from '@server/lib/table-file';

/** Splits a CSV line the way a spreadsheet does when it ignores our quoting and uses `sep`. */
const naiveCells = (line: string, sep: string) => line.split(sep).map((c) => c.replace(/^"+/, '').trimStart());
const FORMULA = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r]/;

const NASTY = [
  '=1+1', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1', '＝1+1', 'Иванов;=HYPERLINK("http://evil.example","x")', 'a,=cmd|" /C calc"!A0',
  'a; =1', 'a,"=1', 'a;"+1', "a,'=1", 'Жакшы курс, -абдан', 'x;;@y', '  =1',
];

describe('exported cells never become formulas (server/lib/table-file.ts)', () => {
  it('no cell starts a formula, however a spreadsheet splits the line (",", ";", or our quoting)', () => {
    const csv = csvOf(['a', 'b'], NASTY.map((v) => [v, 1]));
    for (const line of csv.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean)) {
      for (const sep of [',', ';']) for (const cell of naiveCells(line, sep)) expect([line, sep, FORMULA.test(cell)]).toEqual([line, sep, false]);
    }
  });

  it('keeps ordinary text and numbers as they are', () => {
    expect(neutraliseCell('Айгүл Асанова')).toBe('Айгүл Асанова');
    expect(neutraliseCell('Бишкек, Чүй проспекти 10')).toBe('Бишкек, Чүй проспекти 10');
    expect(csvOf(['n'], [[-5], [2.5]])).toBe('\uFEFFn\r\n-5\r\n2.5\r\n');
  });

  it('the XLSX exports write text cells the same way', async () => {
    const { completionsTable } = await import('@server/modules/export/service');
    const row = Object.fromEntries(['full_name', 'organisation', 'course_title'].map((k) => [k, '=1+1;+2']));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await tableXlsx(completionsTable([row as never]))).buffer as ArrayBuffer);
    const values = (wb.worksheets[0]!.getRow(2).values as unknown[]).filter((v) => typeof v === 'string') as string[];
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) for (const part of v.split(/[,;]/)) expect(FORMULA.test(part.trimStart())).toBe(false);
  });
});
