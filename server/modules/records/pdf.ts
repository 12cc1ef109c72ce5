import { eq } from 'drizzle-orm';
import type { DB } from '@db/client';
import { organisations, users } from '@db/schema';
import { plural, t } from '@server/lib/i18n';
import { createPdf, pdfToBuffer } from '@server/lib/pdf';
import { myObligation, trainingRecord } from './service';
import { bishkekDay } from '@server/lib/time';

/** Kyrgyz and Russian together, as on the certificate: `ky / ru`. */
const both = (key: string, vars?: Record<string, string | number>) => `${t('ky', key, vars)} / ${t('ru', key, vars)}`;
/** Dates as DD.MM.YYYY, read the same way in both languages. */
const day = (d: string) => d.split('-').reverse().join('.');

/** "3; 8 саат / 8 часов": each language counts hours in its own words (not "8 саат / часы"). */
export function countedText(trainings: number, hours: number): string {
  return `${trainings}; ${plural('ky', 'course.hours', hours)} / ${plural('ru', 'course.hours', hours)}`;
}

/**
 * A servant's training record as an A4 portrait PDF: name, organisation, obligation status and due
 * date, then every training (title, kind, hours, dates, status), headings in Kyrgyz and Russian.
 */
export async function recordPdf(db: DB, userId: number, now = new Date()): Promise<Buffer> {
  const person = db
    .select({ fullName: users.fullName, orgKy: organisations.nameKy, orgRu: organisations.nameRu })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(users.id, userId))
    .get();
  const entries = trainingRecord(db, userId);
  const obligation = myObligation(db, userId, now);
  const doc = await createPdf({ title: both('record.pdf.title') });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = doc.page.height - doc.page.margins.bottom;

  doc.font('bold').fontSize(18).fillColor('#0b4f6c').text(t('ky', 'record.pdf.title'), left, doc.page.margins.top, { width });
  doc.font('regular').fontSize(13).text(t('ru', 'record.pdf.title'), { width });
  doc.moveDown(0.8).fillColor('#1b1b1b');
  const fact = (label: string, value: string) => {
    doc.font('bold').fontSize(10).text(`${both(label)}: `, { continued: true, width }).font('regular').text(value);
  };
  fact('record.pdf.name', person?.fullName ?? '');
  if (person?.orgKy) fact('record.pdf.organisation', person.orgRu && person.orgRu !== person.orgKy ? `${person.orgKy} / ${person.orgRu}` : person.orgKy);
  if (obligation.applies) {
    fact('record.pdf.obligation', both(`obligation.${obligation.status}`));
    if (obligation.dueDate) fact('record.pdf.dueDate', day(obligation.dueDate));
  }
  const counted = entries.filter((e) => e.counts);
  fact('record.pdf.counted', countedText(counted.length, counted.reduce((n, e) => n + e.hours, 0)));
  fact('record.pdf.printed', day(bishkekDay(now)));
  doc.moveDown(1);

  // The table: widths in points, header repeated on each page.
  const cols = [
    { key: 'record.col.training', w: 190 },
    { key: 'record.col.kind', w: 95 },
    { key: 'record.col.hours', w: 40 },
    { key: 'record.col.date', w: 74 },
    { key: 'record.col.status', w: width - 190 - 95 - 40 - 74 },
  ];
  const pad = 4;
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(8.5);
    const h = Math.max(...cells.map((s, i) => doc.heightOfString(s, { width: cols[i]!.w - 2 * pad }))) + 2 * pad;
    if (doc.y + h > bottom) {
      doc.addPage();
      if (!bold) drawRow(header, true);
    }
    const y = doc.y;
    let x = left;
    if (bold) doc.rect(left, y, width, h).fill('#e8eef1').fillColor('#1b1b1b');
    cells.forEach((s, i) => {
      doc.text(s, x + pad, y + pad, { width: cols[i]!.w - 2 * pad });
      x += cols[i]!.w;
    });
    doc.lineWidth(0.5).strokeColor('#8a8a8a').moveTo(left, y + h).lineTo(left + width, y + h).stroke();
    doc.x = left;
    doc.y = y + h;
  };
  const header = cols.map((c) => `${t('ky', c.key)}\n${t('ru', c.key)}`);
  if (entries.length === 0) {
    doc.font('regular').fontSize(10).text(t('ky', 'record.empty'), { width }).moveDown(0.3).text(t('ru', 'record.empty'), { width });
  } else {
    drawRow(header, true);
    for (const e of entries) {
      const title = [e.title.ky ?? e.title.ru ?? '', e.title.ru && e.title.ru !== e.title.ky ? e.title.ru : null, e.provider.ky ?? e.provider.ru, e.certificateCode ? `№ ${e.certificateCode}` : null]
        .filter(Boolean)
        .join('\n');
      const dates = e.startedOn && e.startedOn !== e.completedOn ? `${day(e.startedOn)} –\n${day(e.completedOn)}` : day(e.completedOn);
      drawRow([title, `${t('ky', `trainingKind.${e.kind}`)}\n${t('ru', `trainingKind.${e.kind}`)}`, String(e.hours), dates, `${t('ky', `record.status.${e.status}`)}\n${t('ru', `record.status.${e.status}`)}` + (e.revokedOn ? `\n${e.revokedOn}` : '')], false);
    }
  }
  return pdfToBuffer(doc);
}
