import type PDFKit from 'pdfkit';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// DejaVu covers Kyrgyz ң ө ү; pdfkit embeds only the glyphs a document uses.
const FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

export type Pdf = InstanceType<typeof PDFKit>;

/**
 * pdfkit and qrcode take ~0.4 s to load: loaded on the first PDF, not by every process that imports
 * the certificates or records module (each server start, each test file).
 */
let libraries: Promise<{ PDFDocument: typeof PDFKit; QRCode: typeof import('qrcode') }> | undefined;
function pdfLibraries() {
  libraries ??= Promise.all([import('pdfkit'), import('qrcode')]).then(([pdfkit, qrcode]) => ({ PDFDocument: pdfkit.default, QRCode: qrcode.default }));
  return libraries;
}

/** A new PDF with the platform's fonts registered as `regular` and `bold`. */
export async function createPdf(options: { landscape?: boolean; title: string; compress?: boolean }): Promise<Pdf> {
  const { PDFDocument } = await pdfLibraries();
  const doc = new PDFDocument({
    size: 'A4',
    layout: options.landscape ? 'landscape' : 'portrait',
    margin: 48,
    compress: options.compress ?? true,
    info: { Title: options.title, Creator: 'Bilim' },
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  doc.font('regular');
  return doc;
}

/** Collects a finished document into one buffer. */
export function pdfToBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Draws a QR code of `text` as vector squares, `size` points wide, at (x, y). */
export async function drawQr(doc: Pdf, text: string, x: number, y: number, size: number): Promise<void> {
  const { QRCode } = await pdfLibraries();
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  doc.save().rect(x, y, size, size).fill('#ffffff').fillColor('#000000');
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (qr.modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
    }
  }
  doc.fill().restore();
}
