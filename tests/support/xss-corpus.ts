/** Lesson documents that try to run script or reach outside the editor schema: each must be refused, and render to nothing executable. */
export const doc = (...content: unknown[]) => ({ type: 'doc', content });
export const p = (...content: unknown[]) => ({ type: 'paragraph', content });
export const t = (text: string, marks?: unknown[]) => ({ type: 'text', text, ...(marks ? { marks } : {}) });
const link = (href: string) => t('click', [{ type: 'link', attrs: { href } }]);

/** Documents that must be refused, each with what it tries. */
export const XSS_CORPUS: Record<string, unknown> = {
  'javascript: link': doc(p(link('javascript:alert(1)'))),
  'JaVaScRiPt: with spaces and entities': doc(p(link(' \tJaVaScRiPt:alert(1)'))),
  'javascript: with a newline': doc(p(link('java\nscript:alert(1)'))),
  'data: link': doc(p(link('data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='))),
  'vbscript: link': doc(p(link('vbscript:msgbox(1)'))),
  'protocol-relative link to another host': doc(p(link('//evil.example/x'))),
  'data: image': doc({ type: 'image', attrs: { src: 'data:image/svg+xml,<svg onload=alert(1)>', alt: 'x' } }),
  'javascript: image': doc({ type: 'image', attrs: { src: 'javascript:alert(1)', alt: 'x' } }),
  'third-party image': doc({ type: 'image', attrs: { src: 'https://tracker.example/p.gif', alt: 'x' } }),
  'image with onerror': doc({ type: 'image', attrs: { src: `/api/media/${'a'.repeat(64)}`, alt: 'x', onerror: 'alert(1)' } }),
  'paragraph with onclick': doc({ type: 'paragraph', attrs: { onclick: 'alert(1)' }, content: [t('x')] }),
  'paragraph with style': doc({ type: 'paragraph', attrs: { style: 'background:url(javascript:alert(1))' }, content: [t('x')] }),
  'link with onmouseover': doc(p(t('x', [{ type: 'link', attrs: { href: 'https://example.org', onmouseover: 'alert(1)' } }]))),
  'link with class': doc(p(t('x', [{ type: 'link', attrs: { href: 'https://example.org', class: 'evil' } }]))),
  'script node': doc({ type: 'script', content: [t('alert(1)')] }),
  'iframe node': doc({ type: 'iframe', attrs: { src: 'https://evil.example' } }),
  'html node': doc({ type: 'html', text: '<img src=x onerror=alert(1)>' }),
  'unknown mark': doc(p(t('x', [{ type: 'textStyle', attrs: { color: 'red' } }]))),
  'mark with extra key': doc(p(t('x', [{ type: 'bold', html: '<b onclick=alert(1)>' }]))),
  'node with extra key': doc({ type: 'paragraph', html: '<script>alert(1)</script>', content: [] }),
  'callout with an unknown variant': doc({ type: 'callout', attrs: { variant: '"><script>alert(1)</script>' }, content: [p(t('x'))] }),
  'heading level as a string': doc({ type: 'heading', attrs: { level: '2 onclick=alert(1)' }, content: [t('x')] }),
  'table cell with a string colspan': doc({ type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan: '2" onclick="alert(1)' }, content: [p(t('x'))] }] }] }),
  'text where a block belongs': doc(t('<script>alert(1)</script>')),
  'paragraph inside text position': doc(p(p(t('x')))),
  'marks on a block': doc({ type: 'paragraph', marks: [{ type: 'bold' }], content: [] }),
  'text node without text': doc(p({ type: 'text' })),
  'text as an object': doc(p({ type: 'text', text: { toString: 'x' } })),
  'content not a list': doc({ type: 'paragraph', content: 'x' }),
  'root that is not doc': p(t('x')),
  'the same mark twice': doc(p(t('x', [{ type: 'bold' }, { type: 'bold' }]))),
  'prototype keys': JSON.parse('{"type":"doc","content":[{"type":"paragraph","__proto__":{"onclick":"x"},"content":[]}]}'),
};

