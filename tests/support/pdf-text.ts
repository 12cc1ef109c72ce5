/**
 * The text drawn on the pages of an uncompressed PDFKit document (`compress: false`), decoded
 * through each embedded font's ToUnicode map — what a reader would see, for tests that check a
 * visible mark. Small on purpose: PDFKit's output only (hex strings, Tj/TJ, Type0 fonts).
 */
export function pdfText(pdf: Buffer): string {
  const src = pdf.toString('latin1');
  const objects = new Map<number, string>();
  for (const m of src.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) objects.set(Number(m[1]), m[2]!);
  const hex = (h: string) => parseInt(h, 16);
  const utf16 = (h: string) => String.fromCharCode(...(h.match(/.{4}/g) ?? []).map(hex));
  // ToUnicode per font object
  const cmapOf = new Map<number, Map<number, string>>();
  for (const [id, body] of objects) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(body);
    if (!ref) continue;
    const cmapSrc = objects.get(Number(ref[1])) ?? '';
    const map = new Map<number, string>();
    for (const block of cmapSrc.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const e of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(hex(e[1]!), utf16(e[2]!));
    for (const block of cmapSrc.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
      for (const e of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
        const [from, to] = [hex(e[1]!), hex(e[2]!)];
        if (e[3]!.startsWith('[')) [...e[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].forEach((x, i) => map.set(from + i, utf16(x[1]!)));
        else for (let c = from, u = hex(e[3]!.slice(1, -1)); c <= to; c++, u++) map.set(c, String.fromCharCode(u));
      }
    cmapOf.set(id, map);
  }
  // font resource names (e.g. /F1) to font objects, from every resource dictionary
  const fontByName = new Map<string, number>();
  for (const body of objects.values()) for (const m of body.matchAll(/\/(F\d+) (\d+) 0 R/g)) fontByName.set(m[1]!, Number(m[2]));
  let out = '';
  for (const body of objects.values()) {
    const stream = /stream\r?\n([\s\S]*?)endstream/.exec(body)?.[1];
    if (!stream || !/\bTf\b/.test(stream)) continue;
    let map = new Map<number, string>();
    for (const m of stream.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ|<([0-9a-fA-F]*)> Tj|\bET\b/g)) {
      if (m[1]) map = cmapOf.get(fontByName.get(m[1]) ?? -1) ?? new Map();
      else if (m[0] === 'ET') out += '\n';
      else {
        const parts = m[2] !== undefined ? [...m[2].matchAll(/<([0-9a-fA-F]*)>|(-?[\d.]+)/g)] : [[m[0], m[3]] as unknown as RegExpMatchArray];
        for (const p of parts) {
          if (p[1] !== undefined) for (const g of p[1].match(/.{4}/g) ?? []) out += map.get(hex(g)) ?? '';
          else if (Number(p[2]) < -200) out += ' ';
        }
      }
    }
  }
  return out;
}
