/**
 * SCORM packages built the way authoring tools (iSpring, Articulate, Captivate) write them: an
 * imsmanifest.xml at the root with the ADL namespaces and schemaversion, one resource per SCO with
 * its files, shared assets, and a launch page that finds the runtime API by walking up its parent
 * frames (the ADL / pipwerks discovery algorithm), then uses suspend data, location, interactions,
 * score and status. The page has buttons a browser test presses; `attack` adds a script that tries
 * to act as the learner on the platform's API.
 */
import { deflateRawSync } from 'node:zlib';
import { zip } from './zip';

export type ScoSpec = { id: string; title: string; href?: string; mastery?: number };
export type PackageSpec = {
  version: '1.2' | '2004-3' | '2004-4';
  title?: string;
  scos: ScoSpec[];
  /** a launch page that tries to call this platform origin's API with the learner's session */
  attack?: string;
  /** extra files (path → content) */
  files?: Record<string, string | Buffer>;
  /** replaces the generated manifest */
  manifest?: string;
  /** leave out these files (to make a broken package) */
  omit?: string[];
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function manifestXml(spec: PackageSpec): string {
  const title = spec.title ?? 'Кызмат этикасы';
  if (spec.version === '1.2') {
    return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.ethics" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>${esc(title)}</title>
${spec.scos
  .map(
    (s) => `      <item identifier="${s.id}" identifierref="RES-${s.id}" isvisible="true">
        <title>${esc(s.title)}</title>${s.mastery !== undefined ? `\n        <adlcp:masteryscore>${s.mastery}</adlcp:masteryscore>` : ''}
      </item>`,
  )
  .join('\n')}
    </organization>
  </organizations>
  <resources>
${spec.scos
  .map(
    (s) => `    <resource identifier="RES-${s.id}" type="webcontent" adlcp:scormtype="sco" href="${s.href ?? `${s.id}/index.html`}">
      <file href="${s.href ?? `${s.id}/index.html`}"/>
      <dependency identifierref="SHARED"/>
    </resource>`,
  )
  .join('\n')}
    <resource identifier="SHARED" type="webcontent" adlcp:scormtype="asset">
      <file href="shared/sco.js"/>
    </resource>
  </resources>
</manifest>
`;
  }
  const edition = spec.version === '2004-4' ? '2004 4th Edition' : '2004 3rd Edition';
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.anticorruption" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>${edition}</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1" adlseq:objectivesGlobalToSystem="false">
      <title>${esc(title)}</title>
      <item identifier="MODULE-1">
        <title>${esc(title)}</title>
${spec.scos
  .map(
    (s) => `        <item identifier="${s.id}" identifierref="RES-${s.id}">
          <title>${esc(s.title)}</title>${
            s.mastery !== undefined
              ? `
          <imsss:sequencing>
            <imsss:objectives>
              <imsss:primaryObjective objectiveID="PRIMARY-${s.id}" satisfiedByMeasure="true">
                <imsss:minNormalizedMeasure>${s.mastery}</imsss:minNormalizedMeasure>
              </imsss:primaryObjective>
            </imsss:objectives>
          </imsss:sequencing>`
              : ''
          }
        </item>`,
  )
  .join('\n')}
      </item>
    </organization>
  </organizations>
  <resources>
${spec.scos
  .map(
    (s) => `    <resource identifier="RES-${s.id}" type="webcontent" adlcp:scormType="sco" href="${s.href ?? `${s.id}/index.html`}">
      <file href="${s.href ?? `${s.id}/index.html`}"/>
      <dependency identifierref="SHARED"/>
    </resource>`,
  )
  .join('\n')}
    <resource identifier="SHARED" type="webcontent" adlcp:scormType="asset">
      <file href="shared/sco.js"/>
    </resource>
  </resources>
</manifest>
`;
}

/**
 * The shared SCO script: finds the API (window, then each parent, then the opener), starts a
 * session, restores suspend data and location, and offers buttons to answer, suspend and finish.
 */
export const SCO_JS = `
(function () {
  function find(name) {
    var w = window, hops = 0;
    while (w && hops < 10) {
      try { if (w[name]) return w[name]; } catch (e) {}
      if (w.parent === w) break;
      w = w.parent; hops++;
    }
    try { if (window.opener && window.opener[name]) return window.opener[name]; } catch (e) {}
    return null;
  }
  var api2004 = find('API_1484_11');
  var api12 = api2004 ? null : find('API');
  var log = document.getElementById('log');
  function say(t) { log.textContent = t; }
  if (!api2004 && !api12) { say('no-api'); return; }
  var is2004 = !!api2004;
  var api = api2004 || api12;
  function call(n12, n2004, a, b) { return is2004 ? api[n2004](a, b) : api[n12](a, b); }
  var ok = String(call('LMSInitialize', 'Initialize', ''));
  var get = function (k12, k2004) { return String(call('LMSGetValue', 'GetValue', is2004 ? k2004 : k12)); };
  var set = function (k12, k2004, v) { return String(call('LMSSetValue', 'SetValue', is2004 ? k2004 : k12, v)); };
  var suspend = get('cmi.suspend_data', 'cmi.suspend_data');
  var location = get('cmi.core.lesson_location', 'cmi.location');
  var entry = get('cmi.core.entry', 'cmi.entry');
  document.getElementById('state').textContent = 'init=' + ok + ' entry=' + entry + ' location=' + location + ' suspend=' + suspend;
  document.getElementById('learner').textContent = get('cmi.core.student_name', 'cmi.learner_name');
  document.getElementById('answer').onclick = function () {
    var n = is2004 ? Number(get('', 'cmi.interactions._count')) : Number(get('cmi.interactions._count', ''));
    if (is2004) {
      set('', 'cmi.interactions.' + n + '.id', 'q' + (n + 1));
      set('', 'cmi.interactions.' + n + '.type', 'choice');
      set('', 'cmi.interactions.' + n + '.learner_response', 'b');
      set('', 'cmi.interactions.' + n + '.result', 'correct');
    } else {
      set('cmi.interactions.' + n + '.id', '', 'q' + (n + 1));
      set('cmi.interactions.' + n + '.type', '', 'choice');
      set('cmi.interactions.' + n + '.student_response', '', 'b');
      set('cmi.interactions.' + n + '.result', '', 'correct');
    }
    set('cmi.core.lesson_location', 'cmi.location', 'page-' + (n + 2));
    set('cmi.suspend_data', 'cmi.suspend_data', 'answered=' + (n + 1) + ';лекция=окулду');
    if (!is2004) set('cmi.core.lesson_status', '', 'incomplete');
    else set('', 'cmi.completion_status', 'incomplete');
    call('LMSCommit', 'Commit', '');
    say('answered ' + (n + 1));
  };
  document.getElementById('suspend').onclick = function () {
    set('cmi.core.exit', 'cmi.exit', 'suspend');
    call('LMSCommit', 'Commit', '');
    call('LMSFinish', 'Terminate', '');
    say('suspended');
  };
  document.getElementById('finish').onclick = function () {
    var score = Number(document.getElementById('score').value);
    if (is2004) {
      set('', 'cmi.score.raw', String(score));
      set('', 'cmi.score.min', '0');
      set('', 'cmi.score.max', '100');
      set('', 'cmi.score.scaled', String(score / 100));
      set('', 'cmi.completion_status', 'completed');
      set('', 'cmi.success_status', score >= 80 ? 'passed' : 'failed');
      set('', 'cmi.session_time', 'PT1M30S');
      set('', 'cmi.exit', 'normal');
    } else {
      set('cmi.core.score.raw', '', String(score));
      set('cmi.core.score.min', '', '0');
      set('cmi.core.score.max', '', '100');
      set('cmi.core.lesson_status', '', score >= 80 ? 'passed' : 'failed');
      set('cmi.core.session_time', '', '00:01:30');
      set('cmi.core.exit', '', '');
    }
    call('LMSCommit', 'Commit', '');
    call('LMSFinish', 'Terminate', '');
    say('finished');
  };
})();
`;

/** What the attacking package tries: read the learner's account and sign them out, with their cookie. */
export const ATTACK_JS = (platform: string) => `
(async function () {
  var out = document.getElementById('attack');
  var results = [];
  async function tryIt(label, url, init) {
    try {
      var r = await fetch(url, Object.assign({ credentials: 'include' }, init || {}));
      var body = await r.text();
      results.push(label + ':' + r.status + ':' + (body.indexOf('@demo.kg') >= 0 ? 'LEAK' : 'no-data'));
    } catch (e) {
      results.push(label + ':blocked');
    }
  }
  var top = ${JSON.stringify(platform)};
  await tryIt('relative-me', '/api/me');
  if (top) await tryIt('platform-me', top + '/api/me');
  if (top) await tryIt('platform-enrolments', top + '/api/me/enrolments');
  if (top) await tryIt('platform-logout', top + '/api/auth/logout', { method: 'POST' });
  var cookie = 'none';
  try { cookie = document.cookie ? 'SEEN' : 'none'; } catch (e) { cookie = 'blocked'; }
  results.push('cookie:' + cookie);
  var parentRead = 'blocked';
  try { parentRead = window.top.document.title ? 'READ' : 'empty'; } catch (e) {}
  results.push('top-document:' + parentRead);
  out.textContent = results.join(' ');
  out.setAttribute('data-done', '1');
})();
`;

export function scoHtml(title: string, attack?: string, depth = 1): string {
  const up = '../'.repeat(depth);
  return `<!DOCTYPE html>
<html lang="ky"><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body>
<h1>${esc(title)}</h1>
<p id="state">…</p>
<p>Окуучу: <span id="learner"></span></p>
<label>Упай <input id="score" type="number" value="90"></label>
<button id="answer" type="button">Жооп берүү</button>
<button id="suspend" type="button">Кийин улантуу</button>
<button id="finish" type="button">Аяктоо</button>
<p id="log"></p>
<p id="attack"></p>
<script src="${up}shared/sco.js"></script>
${attack ? `<script>${ATTACK_JS(attack)}</script>` : ''}
</body></html>`;
}

/** The package's files, path → content. */
export function packageFiles(spec: PackageSpec): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = { 'imsmanifest.xml': spec.manifest ?? manifestXml(spec), 'shared/sco.js': SCO_JS };
  for (const s of spec.scos) {
    const href = s.href ?? `${s.id}/index.html`;
    files[href.split('?')[0]!] = scoHtml(s.title, spec.attack, href.split('?')[0]!.split('/').length - 1);
  }
  Object.assign(files, spec.files ?? {});
  for (const o of spec.omit ?? []) delete files[o];
  return files;
}

/** The package as a zip (deflated entries, like the tools write). */
export function scormZip(spec: PackageSpec): Buffer {
  return zip(
    Object.entries(packageFiles(spec)).map(([name, content]) => {
      const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
      return { name, data: deflateRawSync(data), size: data.length, method: 8 as const };
    }),
  );
}
