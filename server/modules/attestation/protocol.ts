/**
 * A campaign's protocol, for sending to the government: every person with the three stages' results,
 * the interview's average per criterion, the vote and the decision; the commission's names with lines
 * to sign. As an A4 landscape PDF in Kyrgyz or Russian, and as XLSX (server/lib/table-file.ts).
 */
import type { DB } from '@db/client';
import type { Locale } from '@db/domain';
import { pick, t } from '@server/lib/i18n';
import { createPdf, pdfToBuffer } from '@server/lib/pdf';
import { tableXlsx, type Table } from '@server/lib/table-file';
import { bishkekDay } from '@server/lib/time';
import { averageScores, campaignPeople, commissionOf, type Campaign, type ParticipantView, type ReserveEntryView } from './service';

type Row = ParticipantView & { averages: Record<string, number> };

const day = (d: string) => d.split('-').reverse().join('.');

function rowsOf(db: DB, campaign: Campaign): Row[] {
  return campaignPeople(db, campaign.id).map((p) => ({ ...p, averages: averageScores(db, p.id) }));
}

function cellTexts(locale: Locale, campaign: Campaign, r: Row, i: number): string[] {
  const org = r.organisation ? pick(locale, { ky: r.organisation.nameKy, ru: r.organisation.nameRu }).text : '';
  const law = r.lawScorePercent === null ? '—' : `${r.lawScorePercent}%`;
  return [
    String(i + 1),
    org ? `${r.fullName}\n${org}` : r.fullName,
    r.post,
    t(locale, `attest.stage1.${r.stage1Status}`) + (r.stage1Status === 'refused' && r.stage1Reason ? `: ${r.stage1Reason}` : ''),
    `${t(locale, `attest.stage2.${r.stage2Status}`)}\n${law}`,
    campaign.criteria.map((k) => `${pick(locale, { ky: k.ky, ru: k.ru }).text}: ${r.averages[k.key] ?? '—'}`).join('\n'),
    r.votesFor === null ? '—' : `${r.votesFor} / ${r.votesAgainst ?? 0}`,
    r.decision ? t(locale, `attest.decision.${r.decision}`) + (r.recommendedToReserve ? `; ${t(locale, 'attest.decision.recommended').toLowerCase()}` : '') : '—',
  ];
}

/** The protocol as a PDF in one language. */
export async function protocolPdf(db: DB, campaign: Campaign, locale: Locale, now = new Date()): Promise<Buffer> {
  const title = pick(locale, { ky: campaign.titleKy, ru: campaign.titleRu }).text;
  const doc = await createPdf({ landscape: true, title: `${t(locale, 'attest.protocol.title')}: ${title}` });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = doc.page.height - doc.page.margins.bottom;
  doc.font('bold').fontSize(16).fillColor('#0b4f6c').text(t(locale, 'attest.protocol.heading'), left, doc.page.margins.top, { width, align: 'center' });
  doc.font('regular').fontSize(12).fillColor('#1b1b1b').text(title, { width, align: 'center' });
  doc.moveDown(0.8);
  const fact = (label: string, value: string) => doc.font('bold').fontSize(9.5).text(`${t(locale, label)}: `, { continued: true, width }).font('regular').text(value);
  fact('attest.form.kind', t(locale, `attest.kind.${campaign.kind}`));
  fact('attest.form.region', t(locale, `region.${campaign.region}`));
  fact('attest.form.posts', campaign.posts.join('; '));
  for (const n of [1, 2, 3] as const) fact(`attest.stage${n}.name`, `${day(campaign[`stage${n}From`])} — ${day(campaign[`stage${n}To`])}`);
  const commission = commissionOf(db, campaign.id);
  fact('attest.commission.title', commission.map((m) => m.fullName).join(', ') || '—');
  fact('attest.protocol.printed', day(bishkekDay(now)));
  doc.moveDown(0.8);

  const headers = ['№', 'attest.col.person', 'attest.col.post', 'attest.stage1.short', 'attest.stage2.short', 'attest.protocol.interview', 'attest.protocol.votes', 'attest.protocol.decision']
    .map((k) => (k === '№' ? k : t(locale, k)));
  const w = [24, 150, 110, 100, 80, 0, 60, 110];
  w[5] = width - w.reduce((a, b) => a + b, 0);
  const pad = 3;
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(8);
    const h = Math.max(...cells.map((s, i) => doc.heightOfString(s, { width: w[i]! - 2 * pad }))) + 2 * pad;
    if (doc.y + h > bottom) {
      doc.addPage();
      if (!bold) drawRow(headers, true);
      doc.font(bold ? 'bold' : 'regular').fontSize(8);
    }
    const y = doc.y;
    let x = left;
    if (bold) doc.rect(left, y, width, h).fill('#e8eef1').fillColor('#1b1b1b');
    cells.forEach((s, i) => {
      doc.text(s, x + pad, y + pad, { width: w[i]! - 2 * pad });
      x += w[i]!;
    });
    doc.lineWidth(0.5).strokeColor('#8a8a8a').moveTo(left, y + h).lineTo(left + width, y + h).stroke();
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(headers, true);
  const rows = rowsOf(db, campaign);
  rows.forEach((r, i) => drawRow(cellTexts(locale, campaign, r, i), false));
  if (!rows.length) doc.font('regular').fontSize(9).text(t(locale, 'attest.people.title') + ': —', left, doc.y + 6);

  // signatures
  doc.moveDown(1.5);
  for (const m of commission) {
    if (doc.y + 24 > bottom) doc.addPage();
    doc.font('regular').fontSize(9.5).text(`${m.fullName} ____________________`, left, doc.y, { width });
    doc.moveDown(0.6);
  }
  return pdfToBuffer(doc);
}

/** The protocol as an XLSX sheet (one row per person; averages per criterion as numbers). */
export async function protocolXlsx(db: DB, campaign: Campaign, locale: Locale): Promise<Uint8Array<ArrayBuffer>> {
  const rows = rowsOf(db, campaign);
  const table: Table<Row> = {
    sheet: t(locale, 'attest.protocol.title'),
    columns: [
      { header: t(locale, 'attest.col.person'), value: (r) => r.fullName },
      { header: t(locale, 'attest.col.organisation'), value: (r) => (r.organisation ? pick(locale, { ky: r.organisation.nameKy, ru: r.organisation.nameRu }).text : null) },
      { header: t(locale, 'attest.col.post'), value: (r) => r.post },
      { header: t(locale, 'attest.stage1.short'), value: (r) => t(locale, `attest.stage1.${r.stage1Status}`) },
      { header: t(locale, 'attest.stage1.reason'), value: (r) => r.stage1Reason },
      { header: t(locale, 'attest.stage2.short'), value: (r) => t(locale, `attest.stage2.${r.stage2Status}`) },
      { header: t(locale, 'attest.protocol.lawPercent'), type: 'number', value: (r) => r.lawScorePercent },
      ...campaign.criteria.map((k) => ({ header: pick(locale, { ky: k.ky, ru: k.ru }).text, type: 'number' as const, value: (r: Row) => r.averages[k.key] ?? null })),
      { header: t(locale, 'attest.decision.votesFor'), type: 'number', value: (r) => r.votesFor },
      { header: t(locale, 'attest.decision.votesAgainst'), type: 'number', value: (r) => r.votesAgainst },
      { header: t(locale, 'attest.protocol.decision'), value: (r) => (r.decision ? t(locale, `attest.decision.${r.decision}`) : null) },
      { header: t(locale, 'attest.decision.recommended'), value: (r) => (r.recommendedToReserve ? t(locale, 'attest.protocol.yes') : null) },
      { header: t(locale, 'attest.protocol.decisionDate'), type: 'instant', value: (r) => r.decisionAt },
    ],
    rows,
  };
  return tableXlsx(table);
}

/** The officer's reserve list as a download (the filtered rows of `GET /api/attestation/reserve`). */
export function reserveTable(rows: ReserveEntryView[], locale: Locale): Table<ReserveEntryView> {
  return {
    sheet: 'reserve',
    columns: [
      { header: t(locale, 'attest.col.person'), value: (r) => r.fullName },
      { header: t(locale, 'attest.col.post'), value: (r) => r.post },
      { header: t(locale, 'attest.form.region'), value: (r) => t(locale, `region.${r.region}`) },
      { header: t(locale, 'attest.reserveList.enteredOn'), type: 'day', value: (r) => r.enteredOn },
      { header: t(locale, 'attest.col.campaign'), value: (r) => pick(locale, { ky: r.campaignKy, ru: r.campaignRu }).text },
      { header: t(locale, 'attest.reserveList.published'), value: (r) => t(locale, r.published ? 'attest.reserveList.publishedYes' : 'attest.reserveList.publishedNo') },
    ],
    rows,
  };
}
