/**
 * imsmanifest.xml as authoring tools write it (server/modules/scorm/manifest.ts): xml:base on the
 * manifest, resources and a resource; nested aggregations; hidden items; item parameters; the
 * default organisation among several; prefixes other than adlcp/imsss; launch paths that leave the
 * package.
 */
import { describe, expect, it } from 'vitest';
import { launchFile, parseManifest } from '@server/modules/scorm/manifest';
import { AppError } from '@server/lib/errors';

const all = () => true;
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return `${e.code} ${e.field}`;
    throw e;
  }
};

const manifest2004 = `<?xml version="1.0" encoding="utf-8"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:a="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:ss="http://www.imsglobal.org/xsd/imsss" xml:base="content/">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="B">
    <organization identifier="A"><title>Not this one</title><item identifier="x" identifierref="R1"><title>x</title></item></organization>
    <organization identifier="B">
      <title>  Мамлекеттик
        тил </title>
      <item identifier="part-1"><title>Бөлүм 1</title>
        <item identifier="i1" identifierref="R1" parameters="?lang=ky"><title>Сабак 1</title>
          <ss:sequencing><ss:objectives><ss:primaryObjective satisfiedByMeasure="true"><ss:minNormalizedMeasure>0.75</ss:minNormalizedMeasure></ss:primaryObjective></ss:objectives></ss:sequencing>
        </item>
        <item identifier="hidden" identifierref="R2" isvisible="false"><title>Жашыруун</title></item>
      </item>
      <item identifier="i2" identifierref="R2"><title>Сабак 2</title></item>
      <item identifier="asset" identifierref="R3"><title>Файл</title></item>
    </organization>
  </organizations>
  <resources xml:base="scos/">
    <resource identifier="R1" type="webcontent" a:scormType="sco" xml:base="one/" href="index.html"><file href="index.html"/></resource>
    <resource identifier="R2" type="webcontent" a:scormType="sco" href="two/start%20here.html#intro"><file href="two/start here.html"/></resource>
    <resource identifier="R3" type="webcontent" a:scormType="asset" href="doc.pdf"/>
  </resources>
</manifest>`;

describe('parseManifest', () => {
  it('reads the default organisation, flattens nested items in order, skips hidden items and assets, applies xml:base and parameters', () => {
    const files = new Set(['content/scos/one/index.html', 'content/scos/two/start here.html']);
    const m = parseManifest(manifest2004, (p) => files.has(p));
    expect(m.version).toBe('2004');
    expect(m.title).toBe('Мамлекеттик тил');
    expect(m.scos).toEqual([
      { identifier: 'i1', title: 'Сабак 1', href: 'content/scos/one/index.html?lang=ky', masteryScore: null, scaledPassingScore: 0.75 },
      { identifier: 'i2', title: 'Сабак 2', href: 'content/scos/two/start here.html', masteryScore: null, scaledPassingScore: null },
    ]);
  });

  it('names the missing launch file', () => {
    expect(codeOf(() => parseManifest(manifest2004, (p) => p !== 'content/scos/two/start here.html'))).toBe('scorm_launch_missing content/scos/two/start here.html');
  });

  it('tells SCORM 1.2 from 2004 by the namespaces when schemaversion is missing', () => {
    const v12 = `<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><organizations default="o"><organization identifier="o"><title>T</title><item identifier="i" identifierref="r"><title>I</title><adlcp:masteryscore>75</adlcp:masteryscore></item></organization></organizations><resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="a.html"/></resources></manifest>`;
    expect(parseManifest(v12, all)).toEqual({ version: '1.2', title: 'T', scos: [{ identifier: 'i', title: 'I', href: 'a.html', masteryScore: 75, scaledPassingScore: null }], sequencing: null });
  });

  it('launch paths: normalised inside the package, refused when they leave it', () => {
    expect(launchFile('a/./b/../c.html?x=1#y')).toBe('a/c.html');
    expect(launchFile('%D1%81%D0%B0%D0%B1%D0%B0%D0%BA.html')).toBe('сабак.html');
    for (const bad of ['../x.html', 'a/../../x.html', '/etc/passwd', 'https://evil.example/x', 'javascript:alert(1)', 'a\\..\\b', '%E0%A4%A', '']) expect(launchFile(bad), bad).toBeNull();
  });
});

describe('SCORM 2004 sequencing: read, so the author is told what is not applied', () => {
  const sequenced = `<?xml version="1.0" encoding="utf-8"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="O">
    <organization identifier="O"><title>Тартиптүү курс</title>
      <item identifier="c1"><title>Бөлүм</title>
        <item identifier="s1" identifierref="R1"><title>Биринчи</title>
          <adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>continue</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>
        </item>
        <item identifier="s2" identifierref="R2"><title>Экинчи</title>
          <imsss:sequencing IDRef="common">
            <imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective="p" condition="satisfied"/></imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule></imsss:sequencingRules>
            <imsss:limitConditions attemptLimit="2"/>
          </imsss:sequencing>
        </item>
        <imsss:sequencing><imsss:controlMode choice="false" flow="true" forwardOnly="true"/><imsss:rollupRules rollupObjectiveSatisfied="true"/></imsss:sequencing>
      </item>
      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormType="sco" href="one.html"/>
    <resource identifier="R2" type="webcontent" adlcp:scormType="sco" href="two.html"/>
  </resources>
  <imsss:sequencingCollection>
    <imsss:sequencing ID="common"><imsss:randomizationControls selectCount="1"/></imsss:sequencing>
  </imsss:sequencingCollection>
</manifest>`;

  it('controlMode of the organisation and its clusters, and every rule it uses (a sequencingCollection entry included)', () => {
    const m = parseManifest(sequenced, all);
    expect(m.scos.map((s) => s.identifier)).toEqual(['s1', 's2']); // flow: the lessons keep the manifest's order
    expect(m.sequencing).toEqual({
      choice: false,
      flow: true,
      forwardOnly: true,
      notApplied: expect.arrayContaining(['controlMode', 'sequencingRules', 'limitConditions', 'rollupRules', 'randomizationControls', 'presentation']),
    });
    expect(m.sequencing!.notApplied).toHaveLength(6);
  });

  it('a package without sequencing asks for nothing; SCORM 1.2 has none', () => {
    const files = new Set(['content/scos/one/index.html', 'content/scos/two/start here.html']);
    expect(parseManifest(manifest2004, (p) => files.has(p)).sequencing).toEqual({ choice: true, flow: false, forwardOnly: false, notApplied: [] });
    const v12 = `<?xml version="1.0"?><manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><metadata><schemaversion>1.2</schemaversion></metadata>
      <organizations default="O"><organization identifier="O"><title>T</title><item identifier="i" identifierref="R"><title>S</title></item></organization></organizations>
      <resources><resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="a.html"/></resources></manifest>`;
    expect(parseManifest(v12, all).sequencing).toBeNull();
  });
});
