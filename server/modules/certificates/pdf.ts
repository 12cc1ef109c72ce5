import { createPdf, drawQr, pdfToBuffer } from '@server/lib/pdf';
import { day as calendarDay, formatDate, plural, t } from '@server/lib/i18n';
import { bishkekDay } from '@server/lib/time';
import type { Certificate } from './service';

/**
 * The certificate as one A4 landscape page in Kyrgyz with Russian beneath each line, and a QR code
 * to the public check at `<origin>/ky/verify/<code>`.
 */
export async function certificatePdf(c: Certificate, origin: string, options: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = await createPdf({ landscape: true, title: `${t('ky', 'certificate.title')} ${c.code}`, compress: options.compress });
  const width = doc.page.width;
  const height = doc.page.height;
  const left = 64;
  const inner = width - 2 * left;
  const day = `${c.completedOn}T12:00:00Z`;
  const verifyUrl = `${origin}/ky/verify/${c.code}`;

  doc.lineWidth(3).strokeColor('#0b4f6c').rect(24, 24, width - 48, height - 48).stroke();
  doc.lineWidth(0.8).rect(32, 32, width - 64, height - 64).stroke();

  doc.fillColor('#0b4f6c').font('bold').fontSize(30).text(t('ky', 'certificate.title').toUpperCase(), left, 64, { width: inner, align: 'center' });
  doc.fillColor('#1b1b1b').font('regular').fontSize(12).text(`${t('ky', 'certificate.subtitle')} / ${t('ru', 'certificate.subtitle')}`, { width: inner, align: 'center' });

  doc.moveDown(1.6).fontSize(12).text(`${t('ky', 'certificate.issuedTo')} / ${t('ru', 'certificate.issuedTo')}`, { width: inner, align: 'center' });
  doc.moveDown(0.4).font('bold').fontSize(24).text(c.holderName, { width: inner, align: 'center' });
  doc.moveDown(0.6).font('regular').fontSize(12).text(`${t('ky', 'certificate.forCourse')} / ${t('ru', 'certificate.forCourse')}`, { width: inner, align: 'center' });
  doc.moveDown(0.4).font('bold').fontSize(16).text(c.courseTitleKy ?? c.courseTitleRu ?? '', { width: inner, align: 'center' });
  if (c.courseTitleRu && c.courseTitleKy) doc.font('regular').fontSize(13).text(c.courseTitleRu, { width: inner, align: 'center' });

  doc.moveDown(1).fontSize(12);
  const facts = [
    `${t('ky', 'certificate.hours')}: ${plural('ky', 'course.hours', c.hours)} / ${t('ru', 'certificate.hours')}: ${plural('ru', 'course.hours', c.hours)}`,
    `${t('ky', 'certificate.completedOn')}: ${formatDate('ky', day)} / ${t('ru', 'certificate.completedOn')}: ${formatDate('ru', day)}`,
  ];
  for (const line of facts) doc.text(line, { width: inner, align: 'center' });
  if (c.issuerKy || c.issuerRu) {
    doc.moveDown(0.6).fontSize(10).text(`${t('ky', 'certificate.issuer')}: ${c.issuerKy ?? c.issuerRu}`, { width: inner, align: 'center' });
    if (c.issuerRu) doc.text(`${t('ru', 'certificate.issuer')}: ${c.issuerRu}`, { width: inner, align: 'center' });
  }

  // Signatory line bottom left, number and QR code bottom right.
  const bottom = height - 150;
  doc.lineWidth(0.8).strokeColor('#1b1b1b').moveTo(left, bottom + 60).lineTo(left + 220, bottom + 60).stroke();
  doc.fontSize(10).text(`${t('ky', 'certificate.signatory')} / ${t('ru', 'certificate.signatory')}`, left, bottom + 66, { width: 260 });
  const qrSize = 96;
  const qrX = width - left - qrSize;
  await drawQr(doc, verifyUrl, qrX, bottom, qrSize);
  doc.font('bold').fontSize(11).text(`№ ${c.code}`, qrX - 260, bottom + 20, { width: 250, align: 'right' });
  doc.font('regular').fontSize(8).text(`${t('ky', 'certificate.check')} / ${t('ru', 'certificate.check')}:`, qrX - 260, bottom + 40, { width: 250, align: 'right' });
  doc.text(verifyUrl, qrX - 260, bottom + 52, { width: 250, align: 'right' });

  // A revoked certificate says so on its face, in both languages with the date: a band across the
  // page and a sentence above the signatory line, so a printed or forwarded copy cannot pass for valid.
  if (c.revokedAt) {
    const revokedDay = calendarDay(bishkekDay(c.revokedAt));
    doc.save();
    doc.rotate(-18, { origin: [width / 2, height / 2] });
    doc.fillColor('#b00020').opacity(0.85).font('bold').fontSize(44);
    doc.text(`${t('ky', 'certificate.revokedMark')} / ${t('ru', 'certificate.revokedMark')}`, 0, height / 2 - 26, { width, align: 'center' });
    doc.restore();
    doc.fillColor('#b00020').opacity(1).font('bold').fontSize(12);
    doc.text(t('ky', 'certificate.revokedOn', { date: revokedDay }), left, bottom - 30, { width: inner, align: 'center' });
    doc.text(t('ru', 'certificate.revokedOn', { date: revokedDay }), left, bottom - 14, { width: inner, align: 'center' });
    doc.fillColor('#1b1b1b');
  }
  return pdfToBuffer(doc);
}
