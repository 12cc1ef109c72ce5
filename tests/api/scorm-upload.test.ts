/**
 * SCORM packages into drafts (issue #22): the manifest read for 1.2 and 2004, one lesson per SCO,
 * broken and non-conformant packages refused with the file and the reason, the zip bounded before
 * it is unpacked, and only the draft's author may upload.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { scormPackages } from '@db/schema';
import { getDraft, loadedCourseFromDraft, missingTranslations } from '@server/modules/authoring/service';
import { reviewFacts } from '@server/modules/review/facts';
import { packageDir, scormDir } from '@server/modules/scorm/package';
import { manifestXml, scormZip, type PackageSpec } from '../support/scorm';
import { deflatedZeros, zip } from '../support/zip';

let trainer: string;
let otherTrainer: string;
let learner: string;
let reviewer: string;

beforeAll(async () => {
  await withDemo();
  trainer = await signIn('trainer@demo.kg');
  learner = await signIn('learner@demo.kg');
  reviewer = await signIn('reviewer@demo.kg');
  otherTrainer = await signIn('admin@demo.kg');
});

async function newDraft(slug: string): Promise<{ id: number; revision: number }> {
  const res = await call('/api/author/drafts', { method: 'POST', cookie: trainer, json: { slug, titleKy: 'Кызмат этикасы' } });
  expect(res.status).toBe(201);
  return res.json();
}
const bytes = (b: Buffer | string) => (typeof b === 'string' ? b : (new Uint8Array(b) as unknown as BodyInit));
function upload(id: number, revision: number, body: Buffer | string, cookie = trainer, lang = 'ky') {
  return call(`/api/author/drafts/${id}/scorm?revision=${revision}&lang=${lang}`, { method: 'POST', cookie, body: bytes(body), headers: { 'content-type': 'application/zip' } });
}
async function refusal(spec: PackageSpec | Buffer): Promise<{ status: number; code: string; field?: string }> {
  const d = await newDraft(`bad-${Math.random().toString(36).slice(2, 8)}`);
  const res = await upload(d.id, d.revision, Buffer.isBuffer(spec) ? spec : scormZip(spec));
  const body = await res.json();
  return { status: res.status, ...body.error };
}

describe('uploading a package into a draft', () => {
  it('SCORM 1.2, one SCO: replaces the empty first lesson; the lesson launches the SCO with its mastery score', async () => {
    const d = await newDraft('scorm-single');
    const res = await upload(d.id, d.revision, scormZip({ version: '1.2', scos: [{ id: 'SCO-1', title: 'Кызыкчылыктардын кагылышы', mastery: 80 }] }));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ package: { version: '1.2', title: 'Кызмат этикасы' }, lessons: ['lesson-1'] });
    const draft = getDraft(getDb(), d.id);
    expect(draft.content.manifest.modules).toHaveLength(1);
    expect(draft.content.manifest.modules[0]).toMatchObject({ title: { ky: 'Кызмат этикасы' }, lessons: [{ slug: 'lesson-1', title: { ky: 'Кызыкчылыктардын кагылышы' }, scorm: { package: body.package.sha256, sco: 'SCO-1' } }] });
    const row = getDb().select().from(scormPackages).where(eq(scormPackages.sha256, body.package.sha256)).get()!;
    expect(row.scos).toEqual([{ identifier: 'SCO-1', title: 'Кызыкчылыктардын кагылышы', href: 'SCO-1/index.html', masteryScore: 80, scaledPassingScore: null }]);
    expect(existsSync(join(packageDir(row.sha256), 'SCO-1/index.html'))).toBe(true);
    // nothing left behind in the incoming folder
    expect(readdirSync(join(scormDir(), '.incoming'))).toEqual([]);
  });

  it('SCORM 2004 (3rd and 4th edition), several SCOs: several lessons in a new module, scaled passing score read', async () => {
    for (const version of ['2004-3', '2004-4'] as const) {
      const d = await newDraft(`scorm-multi-${version}`);
      const spec: PackageSpec = {
        version,
        title: 'Коррупцияга каршы аракеттенүү',
        scos: [
          { id: 'SCO-A', title: 'Киришүү' },
          { id: 'SCO-B', title: 'Белек же пара', mastery: 0.8 },
          { id: 'SCO-C', title: 'Текшерүү', href: 'SCO-C/index.html?start=1' },
        ],
      };
      const res = await upload(d.id, d.revision, scormZip(spec), trainer, 'ru');
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body.package.version).toBe('2004');
      expect(body.lessons).toEqual(['lesson-1', 'lesson-2', 'lesson-3']);
      const row = getDb().select().from(scormPackages).where(eq(scormPackages.sha256, body.package.sha256)).get()!;
      expect(row.scos.map((s) => [s.identifier, s.href, s.scaledPassingScore])).toEqual([
        ['SCO-A', 'SCO-A/index.html', null],
        ['SCO-B', 'SCO-B/index.html', 0.8],
        ['SCO-C', 'SCO-C/index.html?start=1', null],
      ]);
      const draft = getDraft(getDb(), d.id);
      expect(draft.content.manifest.modules[0]!.title).toEqual({ ru: 'Коррупцияга каршы аракеттенүү' });
    }
  });

  it('a second package goes into its own module after the first; the same zip twice is stored once', async () => {
    const d = await newDraft('scorm-two');
    const zipped = scormZip({ version: '1.2', scos: [{ id: 'S1', title: 'Биринчи' }] });
    const first = await (await upload(d.id, d.revision, zipped)).json();
    const second = await (await upload(d.id, first.revision, zipped)).json();
    expect(second.package.sha256).toBe(first.package.sha256);
    expect(getDraft(getDb(), d.id).content.manifest.modules.map((m) => m.lessons.map((l) => l.slug))).toEqual([['lesson-1'], ['lesson-2']]);
  });

  it('a SCORM 2004 package that asks for sequencing is still stored; the answer says what its manifest asks that is not applied (again for the same bytes)', async () => {
    const d = await newDraft('scorm-sequenced');
    const spec = { version: '2004-4' as const, scos: [{ id: 'A', title: 'Биринчи' }, { id: 'B', title: 'Экинчи' }] };
    const manifest = manifestXml(spec).replace('<item identifier="MODULE-1">', '<item identifier="MODULE-1">\n        <imsss:sequencing><imsss:controlMode choice="false" flow="true"/><imsss:limitConditions attemptLimit="1"/></imsss:sequencing>');
    const zipped = scormZip({ ...spec, manifest });
    const res = await upload(d.id, d.revision, zipped);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.lessons).toEqual(['lesson-1', 'lesson-2']);
    expect(body.sequencing).toEqual({ choice: false, flow: true, forwardOnly: false, notApplied: ['controlMode', 'limitConditions'] });
    const again = await (await upload(d.id, body.revision, zipped)).json();
    expect(again.sequencing).toEqual(body.sequencing);
    const plain = await (await upload(d.id, again.revision, scormZip({ version: '1.2', scos: [{ id: 'C', title: 'Үчүнчү' }] }))).json();
    expect(plain.sequencing).toBeNull();
  });

  it('a draft made only of SCORM lessons publishes: the lessons carry the package, the launch file and the mastery score', async () => {
    const d = await newDraft('scorm-publishable');
    const up = await (await upload(d.id, d.revision, scormZip({ version: '2004-4', scos: [{ id: 'X', title: 'Сабак', mastery: 0.7 }] }))).json();
    const draft = getDraft(getDb(), d.id);
    const loaded = loadedCourseFromDraft(getDb(), { ...draft, content: { ...draft.content, manifest: { ...draft.content.manifest, summary: { ky: 'Кыскача' }, objectives: { ky: ['Максат'] } } } });
    expect(loaded.modules[0]!.lessons[0]!.scorm).toEqual({ package: up.package.sha256, sco: 'X', version: '2004', href: 'X/index.html', masteryScore: null, scaledPassingScore: 0.7, finalTest: false });
    // its content is the package: only the title is asked for in the other language, no text in either
    expect(missingTranslations(draft.content.manifest.modules[0]!.lessons[0]!)).toEqual({ ky: false, ru: true });
    const facts = reviewFacts(draft.content);
    expect([...facts.languages.missingKy, ...facts.languages.missingRu].filter((f) => f.endsWith('.text'))).toEqual([]);
  });
});

describe('refusals name the file and the reason', () => {
  const ok: PackageSpec = { version: '1.2', scos: [{ id: 'S1', title: 'Сабак' }] };
  it('no imsmanifest.xml at the root', async () => {
    expect(await refusal({ ...ok, omit: ['imsmanifest.xml'] })).toMatchObject({ status: 422, code: 'scorm_manifest_missing', field: 'imsmanifest.xml' });
  });
  it('a manifest that is not XML, or declares entities', async () => {
    expect(await refusal({ ...ok, manifest: '<manifest><organizations>' })).toMatchObject({ status: 422, code: 'scorm_manifest_invalid', field: 'imsmanifest.xml' });
    const billion = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><manifest>&b;</manifest>';
    expect(await refusal({ ...ok, manifest: billion })).toMatchObject({ status: 422, code: 'scorm_manifest_invalid' });
  });
  it('neither SCORM 1.2 nor 2004', async () => {
    const ims = '<?xml version="1.0"?><manifest identifier="x" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><organizations/><resources/></manifest>';
    expect(await refusal({ ...ok, manifest: ims })).toMatchObject({ status: 422, code: 'scorm_version_unknown' });
  });
  it('no organisation, no SCO, an item naming a resource that is not there', async () => {
    const noOrg = manifestXml(ok).replace(/<organizations[\s\S]*<\/organizations>/, '<organizations/>');
    expect(await refusal({ ...ok, manifest: noOrg })).toMatchObject({ code: 'scorm_no_organization' });
    const assetsOnly = manifestXml(ok).replace('adlcp:scormtype="sco"', 'adlcp:scormtype="asset"');
    expect(await refusal({ ...ok, manifest: assetsOnly })).toMatchObject({ code: 'scorm_no_sco' });
    const dangling = manifestXml(ok).replace('identifierref="RES-S1"', 'identifierref="RES-GONE"');
    expect(await refusal({ ...ok, manifest: dangling })).toMatchObject({ code: 'scorm_resource_missing', field: 'imsmanifest.xml: RES-GONE' });
  });
  it('a launch file missing from the zip, or outside the package', async () => {
    expect(await refusal({ ...ok, omit: ['S1/index.html'] })).toMatchObject({ code: 'scorm_launch_missing', field: 'S1/index.html' });
    const outside = manifestXml(ok).replace(/href="S1\/index.html"/g, 'href="../../etc/passwd"');
    expect(await refusal({ ...ok, manifest: outside })).toMatchObject({ code: 'scorm_launch_outside' });
    const external = manifestXml(ok).replace(/href="S1\/index.html"/g, 'href="https://evil.example/x.html"');
    expect(await refusal({ ...ok, manifest: external })).toMatchObject({ code: 'scorm_launch_outside' });
  });
  it('a mastery score out of range', async () => {
    expect(await refusal({ version: '1.2', scos: [{ id: 'S1', title: 'x', mastery: 150 }] })).toMatchObject({ code: 'scorm_mastery_invalid', field: 'imsmanifest.xml: S1' });
  });
});

describe('the zip is bounded before it is unpacked', () => {
  it('refuses a zip bomb by its directory, and one that lies about its sizes while inflating', async () => {
    const zeros = await deflatedZeros(1100);
    expect(await refusal(zip([{ name: 'imsmanifest.xml', data: Buffer.from(manifestXml({ version: '1.2', scos: [] })), size: 10, method: 0 }, { name: 'big.bin', data: zeros, size: 1100 * 1024 * 1024 }]))).toMatchObject({ status: 400, code: 'zip_too_large' });
    const lying = zip([{ name: 'imsmanifest.xml', data: zeros, size: 2048 }]);
    expect(await refusal(lying)).toMatchObject({ status: 400, code: 'zip_too_large' });
  }, 60_000);
  it('refuses entries that would land outside the package folder', async () => {
    for (const name of ['../evil.js', '/etc/cron.d/x', 'a/../../b', 'C:/x', 'a\\..\\b']) {
      const res = await refusal(zip([{ name, data: Buffer.from('x'), size: 1, method: 0 }]));
      expect(res, name).toMatchObject({ status: 400, code: 'zip_unsafe_path' });
    }
    expect(readdirSync(scormDir()).filter((f) => f === 'evil.js')).toEqual([]);
  });
  it('refuses what is not a zip, an empty body, and more than 200 MB (413) without reading it all', async () => {
    expect(await refusal(Buffer.from('not a zip at all'))).toMatchObject({ status: 400, code: 'zip_unreadable' });
    const d = await newDraft('scorm-empty');
    expect((await (await upload(d.id, d.revision, '')).json()).error.code).toBe('file_empty');
    const big = await call(`/api/author/drafts/${d.id}/scorm?revision=${d.revision}`, { method: 'POST', cookie: trainer, headers: { 'content-type': 'application/zip', 'content-length': String(201 * 1024 * 1024) }, body: 'x' });
    expect(big.status).toBe(413);
  });
});

describe('who may upload', () => {
  it('only the draft\'s author (or an administrator), only while the draft is editable, only with the current revision', async () => {
    const d = await newDraft('scorm-rights');
    const zipped = scormZip({ version: '1.2', scos: [{ id: 'S1', title: 'x' }] });
    expect((await call(`/api/author/drafts/${d.id}/scorm?revision=${d.revision}`, { method: 'POST', body: bytes(zipped) })).status).toBe(401);
    expect((await upload(d.id, d.revision, zipped, learner)).status).toBe(403);
    expect((await upload(d.id, d.revision, zipped, reviewer)).status).toBe(403);
    expect((await upload(d.id, d.revision + 5, zipped)).status).toBe(409);
    expect((await upload(999_999, 1, zipped)).status).toBe(404);
    expect((await upload(d.id, d.revision, zipped, otherTrainer)).status).toBe(201);
  });
  it('bad query input is a 400', async () => {
    const d = await newDraft('scorm-bad-input');
    const zipped = scormZip({ version: '1.2', scos: [{ id: 'S1', title: 'x' }] });
    expect((await call(`/api/author/drafts/${d.id}/scorm?revision=abc`, { method: 'POST', cookie: trainer, body: bytes(zipped) })).status).toBe(400);
    expect((await call(`/api/author/drafts/${d.id}/scorm?revision=1&lang=en`, { method: 'POST', cookie: trainer, body: bytes(zipped) })).status).toBe(400);
  });
});
