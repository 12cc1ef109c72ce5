/**
 * Reads a SCORM package's imsmanifest.xml (IMS Content Packaging with the ADL extensions):
 * SCORM 1.2 and SCORM 2004 (2nd–4th edition). What is read: the version, the default organisation
 * and its title, every item that launches a SCO resource (nested aggregations flattened in order),
 * its launch file (xml:base and the item's parameters applied), the 1.2 mastery score and the 2004
 * scaled passing score (primary objective satisfied by measure). Anything that keeps a learner from
 * launching the package is refused with AppError(code, 422, field = the file or element at fault).
 */
import { DOMParser } from '@xmldom/xmldom';
import { AppError } from '@server/lib/errors';
import type { ScormSco, ScormVersion } from '@db/schema/scorm';

export const MANIFEST = 'imsmanifest.xml';
/** A manifest larger than this is not one an authoring tool writes. */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;

/**
 * What a SCORM 2004 manifest asks of sequencing (IMS Simple Sequencing), read so the author can be
 * told what Bilim does not apply. Bilim lays the SCOs out as lessons in the manifest's order (what
 * `flow` describes) and lets learners open lessons in any order; it applies no other rule.
 */
export type ScormSequencing = {
  /** controlMode `choice` of the organisation and its clusters (true unless one says false) */
  choice: boolean;
  /** controlMode `flow`: some cluster asks for the SCOs to be taken one after another */
  flow: boolean;
  /** controlMode `forwardOnly`: some cluster forbids going back */
  forwardOnly: boolean;
  /** the sequencing elements the manifest uses that are not applied, each named once */
  notApplied: string[];
};

export type ParsedManifest = { version: ScormVersion; title: string; scos: ScormSco[]; sequencing: ScormSequencing | null };

/** Sequencing elements beyond controlMode and the primary objective's passing score, none applied. */
const NOT_APPLIED = ['sequencingRules', 'limitConditions', 'rollupRules', 'randomizationControls', 'deliveryControls', 'constrainedChoiceConsiderations', 'rollupConsiderations', 'mapInfo', 'auxiliaryResources'];

function descendants(el: El, name: string): El[] {
  const out: El[] = [];
  const walk = (e: El) => {
    for (let n = e.firstChild; n; n = n.nextSibling) {
      if (n.nodeType !== 1) continue;
      if ((n as El).localName === name) out.push(n as El);
      walk(n as El);
    }
  };
  walk(el);
  return out;
}

/**
 * The sequencing of a 2004 organisation: each `sequencing` element of the organisation and of its
 * items, with the one of `sequencingCollection` it names by IDRef.
 */
function sequencingOf(root: El, org: El): ScormSequencing {
  const collection = new Map<string, El>();
  for (const c of descendants(root, 'sequencingCollection')) for (const seq of children(c, 'sequencing')) if (attr(seq, 'ID')) collection.set(attr(seq, 'ID')!, seq);
  const found: El[] = [];
  for (const seq of [...children(org, 'sequencing'), ...descendants(org, 'item').flatMap((i) => children(i, 'sequencing'))]) {
    found.push(seq);
    const ref = attr(seq, 'IDRef');
    if (ref && collection.has(ref)) found.push(collection.get(ref)!);
  }
  const out: ScormSequencing = { choice: true, flow: false, forwardOnly: false, notApplied: [] };
  const names = new Set<string>();
  for (const seq of found) {
    for (const mode of children(seq, 'controlMode')) {
      if (attr(mode, 'choice') === 'false') out.choice = false;
      if (attr(mode, 'flow') === 'true') out.flow = true;
      if (attr(mode, 'forwardOnly') === 'true') out.forwardOnly = true;
      if (attr(mode, 'choice') === 'false' || attr(mode, 'forwardOnly') === 'true' || attr(mode, 'choiceExit') === 'false') names.add('controlMode');
    }
    for (const name of NOT_APPLIED) if (descendants(seq, name).length || children(seq, name).length) names.add(name);
  }
  // the SCO's own navigation (hiding the player's buttons) has no player buttons to hide here
  if (descendants(org, 'presentation').length) names.add('presentation');
  out.notApplied = [...names];
  return out;
}

type El = Element;

const refuse = (code: string, field: string = MANIFEST): never => {
  throw new AppError(code, 422, field.slice(0, 200));
};

function children(el: El, name: string): El[] {
  const out: El[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (n as El).localName === name) out.push(n as El);
  return out;
}
const child = (el: El, name: string): El | undefined => children(el, name)[0];
const textOf = (el: El | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
/** An attribute by its local name, whatever prefix the tool gave it (adlcp:scormtype, adlcp:scormType). */
function attr(el: El, name: string): string | null {
  const lower = name.toLowerCase();
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    if ((a.localName ?? a.name).toLowerCase() === lower) return a.value;
  }
  return null;
}

/** The package's version from its metadata, else from the namespaces it declares. */
function versionOf(root: El, xml: string): ScormVersion | null {
  const meta = child(root, 'metadata');
  const schemaversion = meta ? textOf(child(meta, 'schemaversion')) : '';
  if (/^1\.2$/.test(schemaversion)) return '1.2';
  if (/2004|CAM 1\.3/i.test(schemaversion)) return '2004';
  if (/adlcp_v1p3|imsss/.test(xml)) return '2004';
  if (/adlcp_rootv1p2|imscp_rootv1p1p2/.test(xml)) return '1.2';
  return null;
}

/** Joins xml:base values and an href as the package-relative path they name (no query or fragment). */
function joinBase(...parts: (string | null)[]): string {
  return parts.filter((p): p is string => Boolean(p)).reduce((acc, p) => (acc && !acc.endsWith('/') ? `${acc}/${p}` : acc + p), '');
}

/** The package file a launch href names (without query and fragment, percent-decoded), or null if it leaves the package. */
export function launchFile(href: string): string | null {
  const path = href.split(/[?#]/)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(decoded) || decoded.startsWith('/') || decoded.includes('\\')) return null;
  const out: string[] = [];
  for (const part of decoded.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return null;
      out.pop();
    } else out.push(part);
  }
  return out.length ? out.join('/') : null;
}

/** Parses imsmanifest.xml; `exists(path)` tells whether the package holds a file. */
export function parseManifest(xml: string, exists: (path: string) => boolean): ParsedManifest {
  // No document type declarations: entities are how an XML file grows a billion times when read.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) refuse('scorm_manifest_invalid');
  const problems: string[] = [];
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: () => undefined, error: (m: string) => problems.push(m), fatalError: (m: string) => problems.push(m) },
  }).parseFromString(xml, 'text/xml');
  const root = doc?.documentElement as El | null;
  if (problems.length || !root || root.localName !== 'manifest') refuse('scorm_manifest_invalid');
  const version = versionOf(root!, xml);
  if (!version) refuse('scorm_version_unknown');

  const orgs = child(root!, 'organizations');
  const all = orgs ? children(orgs, 'organization') : [];
  const wanted = orgs ? attr(orgs, 'default') : null;
  const org = all.find((o) => attr(o, 'identifier') === wanted) ?? all[0];
  if (!org) refuse('scorm_no_organization');

  const resourcesEl = child(root!, 'resources');
  const resourcesBase = resourcesEl ? attr(resourcesEl, 'base') : null;
  const manifestBase = attr(root!, 'base');
  const resources = new Map<string, El>();
  for (const r of resourcesEl ? children(resourcesEl, 'resource') : []) {
    const id = attr(r, 'identifier');
    if (id) resources.set(id, r);
  }

  const scos: ScormSco[] = [];
  const walk = (item: El) => {
    const nested = children(item, 'item');
    const ref = attr(item, 'identifierref');
    const identifier = attr(item, 'identifier') ?? '';
    if (ref && attr(item, 'isvisible') !== 'false') {
      const resource = resources.get(ref);
      if (!resource) refuse('scorm_resource_missing', `${MANIFEST}: ${ref}`);
      const type = (attr(resource!, 'scormtype') ?? '').toLowerCase();
      const href = attr(resource!, 'href');
      // 1.2 assets and 2004 assets are pages without the runtime: only SCOs are lessons.
      if (type === 'sco') {
        if (!href) refuse('scorm_launch_missing', `${MANIFEST}: ${ref}`);
        const full = joinBase(manifestBase, resourcesBase, attr(resource!, 'base'), href);
        const file = launchFile(full);
        if (!file) refuse('scorm_launch_outside', full);
        if (!exists(file!)) refuse('scorm_launch_missing', file!);
        const params = (attr(item, 'parameters') ?? '').trim();
        const query = full.includes('?') ? full.slice(full.indexOf('?')) : '';
        const launch = file! + (query || (params ? (params.startsWith('?') || params.startsWith('#') ? params : `?${params}`) : ''));
        let masteryScore: number | null = null;
        let scaledPassingScore: number | null = null;
        if (version === '1.2') {
          const m = textOf(child(item, 'masteryscore'));
          if (m !== '') {
            const n = Number(m);
            if (!Number.isFinite(n) || n < 0 || n > 100) refuse('scorm_mastery_invalid', `${MANIFEST}: ${identifier}`);
            masteryScore = n;
          }
        } else {
          const objectives = child(child(item, 'sequencing') ?? item, 'objectives');
          const primary = objectives ? child(objectives, 'primaryObjective') : undefined;
          if (primary && attr(primary, 'satisfiedByMeasure') === 'true') {
            const m = textOf(child(primary, 'minNormalizedMeasure'));
            const n = m === '' ? 1 : Number(m);
            if (!Number.isFinite(n) || n < -1 || n > 1) refuse('scorm_mastery_invalid', `${MANIFEST}: ${identifier}`);
            scaledPassingScore = n;
          }
        }
        scos.push({ identifier: identifier.slice(0, 200), title: (textOf(child(item, 'title')) || identifier).slice(0, 300), href: launch.slice(0, 2000), masteryScore, scaledPassingScore });
      }
    }
    for (const n of nested) walk(n);
  };
  for (const item of children(org!, 'item')) walk(item);
  if (!scos.length) refuse('scorm_no_sco');
  if (new Set(scos.map((s) => s.identifier)).size !== scos.length) refuse('scorm_manifest_invalid');
  return { version: version!, title: (textOf(child(org!, 'title')) || scos[0]!.title).slice(0, 300), scos, sequencing: version === '2004' ? sequencingOf(root!, org!) : null };
}
