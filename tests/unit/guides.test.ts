import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SHOTS } from '@scripts/screenshot-list';

const DIR = 'docs/guides';
const guides = readdirSync(DIR).filter((f) => f.endsWith('.md'));
const shown = guides.flatMap((f) => [...readFileSync(`${DIR}/${f}`, 'utf8').matchAll(/!\[[^\]]*\]\(img\/([^)]+)\.png\)/g)].map((m) => ({ guide: f, name: m[1]! })));

describe('the role guides show only pictures the screenshot script makes', () => {
  it('every picture in a guide is a page of scripts/screenshot-list.ts, and its file is there', () => {
    const names = new Set(SHOTS.map((s) => s.name));
    expect(shown.length).toBeGreaterThan(20);
    expect(shown.filter((s) => !names.has(s.name))).toEqual([]);
    expect(shown.filter((s) => !existsSync(`${DIR}/img/${s.name}.png`))).toEqual([]);
  });

  it('every picture the script makes is shown by a guide, and no other picture lies in the folder', () => {
    const used = new Set(shown.map((s) => s.name));
    expect(SHOTS.filter((s) => !used.has(s.name)).map((s) => s.name)).toEqual([]);
    const files = readdirSync(`${DIR}/img`).map((f) => f.replace(/\.png$/, ''));
    expect(files.filter((f) => !SHOTS.some((s) => s.name === f))).toEqual([]);
  });

  it('there is a guide for each role, linked from the guides index', () => {
    const index = readFileSync(`${DIR}/README.md`, 'utf8');
    for (const g of ['servant.md', 'trainer.md', 'reviewer.md', 'hr.md', 'administrator.md']) {
      expect(guides).toContain(g);
      expect(index).toContain(`(${g})`);
    }
  });
});
