// Calls of the publication API (drafts, changes, published versions) shared by several screens.
import { call } from './client';
import type { components } from './schema';

export interface Published {
  id: string;
  version: string;
  sha256: string;
  effectiveFrom: string;
  effectiveTo?: string;
  owner?: string;
  author?: string;
  approvedBy?: string;
  origin?: string;
  rules?: number;
}

// The publication API's own types, generated from openapi.json (npm run gen:web-api).
type Schemas = components['schemas'];
export type LocatedProblem = Schemas['LocatedProblem'];
export type Draft = Schemas['PolicyDraft'];
export type DraftCheck = Draft['check'];
export type Change = Schemas['PolicyChange'];
export type Impact = Schemas['ChangeImpact'];

const enc = encodeURIComponent;

/** The version of each policy that serves today: the latest effectiveFrom on or before today, not ended. */
export function servingToday(list: Published[], today = new Date().toISOString().slice(0, 10)): Map<string, Published> {
  const best = new Map<string, Published>();
  for (const p of list) {
    if (p.effectiveFrom > today || (p.effectiveTo && p.effectiveTo < today)) continue;
    const cur = best.get(p.id);
    if (!cur || p.effectiveFrom > cur.effectiveFrom || (p.effectiveFrom === cur.effectiveFrom && semverGreater(p.version, cur.version))) best.set(p.id, p);
  }
  return best;
}

export function semverGreater(a: string, b: string): boolean {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  return false;
}

/** The next minor version in the policy's metadata (a draft must be greater than every published version). */
export function bumpMinor(text: string): string {
  return text.replace(/^(\s+version:\s*['"]?)(\d+)\.(\d+)\.(\d+)/m, (_m, pre: string, major: string, minor: string) => `${pre}${major}.${Number(minor) + 1}.0`);
}

export const listPublished = async () => (await call<{ policies: Published[] }>('GET', '/v1/policies')).policies;
export const getVersion = (id: string, version: string) => call<{ policy: string; tests: string | null }>('GET', `/v1/policies/${enc(id)}/versions/${enc(version)}`);
export const getDraft = (id: string) => call<Draft>('GET', `/v1/policy-drafts/${enc(id)}`);
export const saveDraft = (id: string, yaml: string) => call<Draft>('PUT', `/v1/policy-drafts/${enc(id)}`, yaml, 'application/yaml');
export const saveTests = (id: string, yaml: string) => call<Draft>('PUT', `/v1/policy-drafts/${enc(id)}/tests`, yaml, 'application/yaml');
export const submitDraft = (id: string) => call<Change>('POST', `/v1/policy-drafts/${enc(id)}/submit`);
export const listChanges = async (status?: string) => (await call<{ changes: Change[] }>('GET', `/v1/policy-changes${status ? `?status=${enc(status)}` : ''}`)).changes;
export const getChange = (id: string) => call<Change & { policy?: string; tests?: string }>('GET', `/v1/policy-changes/${enc(id)}`);
export const approveChange = (id: string, comment: string) => call<Change>('POST', `/v1/policy-changes/${enc(id)}/approve`, comment ? { comment } : {});
export const rejectChange = (id: string, reason: string) => call<Change>('POST', `/v1/policy-changes/${enc(id)}/reject`, { reason });
export const validatePolicy = (policy: string, tests?: string) =>
  call<{ valid: boolean; errors: LocatedProblem[]; warnings: LocatedProblem[]; cases?: { total: number; passed: number } }>('POST', '/v1/policies/validate', {
    policy,
    ...(tests ? { tests } : {}),
    fileName: `${/^\s+version:\s*['"]?([0-9A-Za-z.-]+)/m.exec(policy)?.[1] ?? 'policy'}.yaml`,
  });

/** Starts a draft from the version serving today: its YAML with the next minor version, and its tests. */
export async function startDraftFromServing(id: string): Promise<Draft> {
  const serving = servingToday(await listPublished()).get(id);
  if (!serving) throw new Error(`No version of ${id} serves today.`);
  const v = await getVersion(id, serving.version);
  let draft = await saveDraft(id, bumpMinor(v.policy));
  if (v.tests) draft = await saveTests(id, v.tests);
  return draft;
}
