/**
 * Zip bombs (issue 15): every zip-based upload is bounded before anything inflates it
 * (server/lib/zip.ts). The staff import's XLSX is the zip upload of today.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { app, call, signIn, withDemo } from '../helpers';
import { checkZip } from '@server/lib/zip';
import { AppError } from '@server/lib/errors';
import { XLSX_LIMITS } from '@server/modules/hr/staff-import';
import { deflatedZeros, zip } from '../support/zip';

let hr: string;
let honestBomb: Buffer;
let lyingBomb: Buffer;
beforeAll(async () => {
  await withDemo();
  hr = await signIn('hr@demo.kg');
  const zeros = await deflatedZeros(250);
  // 250 MB of zeros in a quarter of a megabyte, an XLSX's first entry names and all
  honestBomb = zip([{ name: '[Content_Types].xml', data: zeros, size: 250 * 1024 * 1024 }]);
  // the same data, its directory claiming a kilobyte
  lyingBomb = zip([{ name: 'xl/worksheets/sheet1.xml', data: zeros, size: 1024 }]);
}, 60_000);

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return e.code;
  }
};

describe('checkZip (server/lib/zip.ts)', () => {
  it('refuses by the central directory, before inflating: too many declared bytes, too many entries', () => {
    expect(honestBomb.length).toBeLessThan(300 * 1024);
    expect(codeOf(() => checkZip(honestBomb, XLSX_LIMITS))).toBe('zip_too_large');
    const many = zip(Array.from({ length: XLSX_LIMITS.maxEntries + 1 }, (_, i) => ({ name: `x/${i}.xml`, data: Buffer.alloc(0), size: 0, method: 0 as const })));
    expect(codeOf(() => checkZip(many, XLSX_LIMITS))).toBe('zip_too_large');
  });

  it('stops inflating an entry the moment it grows past what it declared', () => {
    expect(codeOf(() => checkZip(lyingBomb, XLSX_LIMITS))).toBe('zip_too_large');
  });

  it('refuses what is not a readable zip, and passes a real XLSX', async () => {
    expect(codeOf(() => checkZip(Buffer.from('PK\x03\x04 not really a zip'), XLSX_LIMITS))).toBe('zip_unreadable');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('staff').addRow(['full_name', 'email']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(checkZip(xlsx, XLSX_LIMITS).map((e) => e.name)).toContain('xl/worksheets/sheet1.xml');
  });
});

describe('the staff import', () => {
  it('refuses both bombs with zip_too_large (field file)', async () => {
    for (const bomb of [honestBomb, lyingBomb]) {
      const res = await call('/api/hr/staff/imports', { method: 'POST', cookie: hr, json: { fileName: 'staff.xlsx', content: bomb.toString('base64') } });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'zip_too_large', field: 'file' } });
    }
  });

  it('keeps answering /api/health while bombs are uploaded in parallel over HTTP', async () => {
    const server = http.createServer(getRequestListener((request) => app.fetch(request, { ip: '127.0.0.1' })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const upload = (bomb: Buffer) =>
        fetch(`${base}/api/hr/staff/imports`, {
          method: 'POST',
          headers: { origin: base, cookie: hr, 'content-type': 'application/json' },
          body: JSON.stringify({ fileName: 'staff.xlsx', content: bomb.toString('base64') }),
        }).then(async (r) => [r.status, ((await r.json()) as { error: { code: string } }).error.code]);
      const health = () => fetch(`${base}/api/health`).then((r) => r.status);
      const started = process.memoryUsage().rss;
      const bombs = [honestBomb, lyingBomb, honestBomb, lyingBomb, honestBomb, lyingBomb, honestBomb, lyingBomb].map(upload);
      const checks = Array.from({ length: 20 }, health);
      expect(await Promise.all(checks)).toEqual(Array(20).fill(200));
      expect(await Promise.all(bombs)).toEqual(Array(8).fill([400, 'zip_too_large']));
      // eight bombs of 250 MB each, and the process grew by far less than one of them
      expect(process.memoryUsage().rss - started).toBeLessThan(200 * 1024 * 1024);
    } finally {
      server.close();
    }
  }, 60_000);
});
