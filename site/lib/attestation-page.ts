/** Shared by the attestation pages (site/pages/[lang]/attestation/…): the campaign form. */
import { REGIONS, type Region } from '@db/domain';
import type { Campaign } from '@server/modules/attestation/service';
import type { CampaignInputT } from '@server/modules/attestation/schemas';
import { str } from './admin-page';

/** The campaign form's fields as text (for a new campaign, a refused form, or editing). */
export type CampaignFormValues = Record<'kind' | 'status' | 'titleKy' | 'titleRu' | 'posts' | 'region' | 'requirements' | 'stage1From' | 'stage1To' | 'stage2From' | 'stage2To' | 'stage3From' | 'stage3To' | 'criteria' | 'thresholds', string>;

export function campaignFormValues(c: Campaign | null): CampaignFormValues {
  if (!c) {
    return { kind: 'attestation', status: 'draft', titleKy: '', titleRu: '', posts: '', region: 'bishkek', requirements: '', stage1From: '', stage1To: '', stage2From: '', stage2To: '', stage3From: '', stage3To: '', criteria: '', thresholds: '' };
  }
  return {
    kind: c.kind, status: c.status, titleKy: c.titleKy, titleRu: c.titleRu, posts: c.posts.join('\n'), region: c.region, requirements: c.requirements ?? '',
    stage1From: c.stage1From, stage1To: c.stage1To, stage2From: c.stage2From, stage2To: c.stage2To, stage3From: c.stage3From, stage3To: c.stage3To,
    criteria: c.criteria.map((k) => `${k.ky} | ${k.ru}`).join('\n'),
    thresholds: Object.entries(c.qualityThresholds).map(([k, v]) => `${k} = ${v}`).join('\n'),
  };
}

const lines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/**
 * The campaign form read into the service's input. Criteria are one a line, «Kyrgyz | Russian», keyed
 * by their place (c1, c2…), so editing keeps the keys of the lines above; thresholds «quality = number».
 * What cannot be read is passed on as is for the service's check to name the field.
 */
export function campaignFromForm(form: FormData): { input: CampaignInputT; values: CampaignFormValues } {
  const get = (k: keyof CampaignFormValues, max = 4000) => str(form, k, max);
  const values: CampaignFormValues = {
    kind: get('kind', 20), status: get('status', 20), titleKy: get('titleKy', 300), titleRu: get('titleRu', 300), posts: get('posts', 6000), region: get('region', 20),
    requirements: get('requirements', 4000), stage1From: get('stage1From', 10), stage1To: get('stage1To', 10), stage2From: get('stage2From', 10), stage2To: get('stage2To', 10),
    stage3From: get('stage3From', 10), stage3To: get('stage3To', 10), criteria: get('criteria', 9000), thresholds: get('thresholds', 2000),
  };
  const criteria = lines(values.criteria).map((l, i) => {
    const [ky = '', ru = ''] = l.split('|').map((s) => s.trim());
    return { key: `c${i + 1}`, ky, ru: ru || ky };
  });
  const qualityThresholds: Record<string, number> = {};
  for (const l of lines(values.thresholds)) {
    const m = /^([A-Za-z][\w]*)\s*[=:]\s*(\d{1,3}(?:[.,]\d+)?)$/.exec(l);
    if (m) qualityThresholds[m[1]!.toLowerCase()] = Number(m[2]!.replace(',', '.'));
    else qualityThresholds[l.slice(0, 40)] = NaN;
  }
  return {
    values,
    input: {
      kind: values.kind as CampaignInputT['kind'],
      status: values.status as CampaignInputT['status'],
      titleKy: values.titleKy, titleRu: values.titleRu, posts: lines(values.posts),
      region: (REGIONS as readonly string[]).includes(values.region) ? (values.region as Region) : (values.region as Region),
      requirements: values.requirements || null,
      stage1From: values.stage1From, stage1To: values.stage1To, stage2From: values.stage2From, stage2To: values.stage2To, stage3From: values.stage3From, stage3To: values.stage3To,
      criteria, qualityThresholds,
    },
  };
}

/** The form field an input error is about (criteria.0.ky → criteria). */
export const campaignField = (field: string | null | undefined) => (field ? (field === 'qualityThresholds' || field.startsWith('qualityThresholds.') ? 'thresholds' : field.split('.')[0]!) : null);
