import type { PolicyStore } from '../../ports/policy-store.js';
import type { PolicySource } from '../check-policies.js';
import type { PolicyRuntime } from '../policy-runtime.js';
import { PolicyPublication } from './changes.js';
import type { PublicationDeps } from './drafts.js';
import { PublishedPolicies, type FileSource, type RefusedFile } from './serving.js';

export interface PublicationConfig extends Omit<PublicationDeps, 'onPublished'> {
  /** POLICY_DIR: only ever adds versions. */
  files?: () => Promise<FileSource>;
  onRefused?: (r: RefusedFile) => void;
  passed?: Set<string>;
}

export interface Publication {
  publication: PolicyPublication;
  published: PublishedPolicies;
  /** The runtime's policy source: the files imported, then every published version. */
  source: () => Promise<PolicySource>;
  /** Wires the runtime in once it exists: an approval here reloads it at once. */
  attach: (runtime: PolicyRuntime) => void;
  /** For GET /v1/policies/status: drafts and changes pending, refused files. */
  status: () => Promise<PublicationStatus>;
}

export interface PublicationStatus {
  draftsPending: number;
  drafts: { policyId: string; version: string | null; updatedBy: string; updatedAt: string }[];
  changesPending: number;
  changes: { id: string; policyId: string; version: string; submittedBy: string; submittedAt: string }[];
  refusedFiles: RefusedFile[];
}

export function composePublication(c: PublicationConfig): Publication {
  let runtime: PolicyRuntime | undefined;
  const published = new PublishedPolicies({
    store: c.store, audit: c.audit, makeEvaluator: c.makeEvaluator, clock: c.clock, ids: c.ids, versions: c.versions,
    ...(c.makeReference ? { makeReference: c.makeReference } : {}),
    ...(c.files ? { files: c.files } : {}),
    ...(c.onRefused ? { onRefused: c.onRefused } : {}),
    ...(c.passed ? { passed: c.passed } : {}),
  });
  const publication = new PolicyPublication({
    store: c.store, audit: c.audit, makeEvaluator: c.makeEvaluator, clock: c.clock, ids: c.ids, versions: c.versions,
    ...(c.makeReference ? { makeReference: c.makeReference } : {}),
    ...(c.schedules ? { schedules: c.schedules } : {}),
    onPublished: () => void runtime?.reload('publication'),
  });
  const status = async (): Promise<PublicationStatus> => {
    const drafts = (await publication.list()).map((d) => ({ policyId: d.policyId, version: d.version, updatedBy: d.updatedBy, updatedAt: d.updatedAt }));
    const changes = (await publication.changes('PENDING')).map((c) => ({ id: c.id, policyId: c.policyId, version: c.version, submittedBy: c.submittedBy, submittedAt: c.submittedAt }));
    return { draftsPending: drafts.length, drafts, changesPending: changes.length, changes, refusedFiles: published.refused() };
  };
  return { publication, published, source: () => published.reloadSource(), attach: (r) => (runtime = r), status };
}

/**
 * Polls the store's revision and reloads the runtime when another instance published: every instance
 * sharing the store serves a new version within about one interval (plus its test run).
 */
export function pollPublications(store: PolicyStore, runtime: PolicyRuntime, intervalMs: number, onError: (e: Error) => void): () => void {
  let seen: number | undefined;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const rev = await store.revision();
      if (seen !== undefined && rev !== seen) await runtime.reload('publication');
      seen = rev;
    } catch (e) {
      onError(e as Error);
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
