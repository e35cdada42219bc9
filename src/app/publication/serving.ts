import { loadPolicy } from '../../core/policy/load.js';
import type { CompiledPolicy } from '../../core/policy/model.js';
import type { PolicyProblem } from '../../core/policy/problem.js';
import { AuditStoreError, type AuditStore } from '../../ports/audit-store.js';
import type { PolicyStore } from '../../ports/policy-store.js';
import { PolicyStoreError } from '../../ports/policy-store.js';
import { appendEvent } from '../audit-events.js';
import { checkPolicies, type EvaluatorFactory, type PolicySource } from '../check-policies.js';
import type { PolicySet } from '../policy-set.js';

/** The approver recorded for versions imported from POLICY_DIR: the repository's own review approved them. */
export const REPOSITORY_REVIEW = 'repository-review';

export interface RefusedFile {
  file: string;
  policyId: string;
  version: string;
  publishedSha256: string;
  fileSha256: string;
  message: string;
  at: string;
}

/** Policy files as the file adapter reads them. */
export interface FileSource {
  policies: { policy: CompiledPolicy; testFile?: { display: string; text: string } }[];
  problems: PolicyProblem[];
}

export interface ServingDeps {
  store: PolicyStore;
  audit: AuditStore;
  makeEvaluator: EvaluatorFactory;
  makeReference?: EvaluatorFactory;
  clock: { now(): string };
  ids: { next(): string };
  versions: { tideover: string; jsonRulesEngine: string };
  /** Reads POLICY_DIR afresh; absent when the service has no policy files. */
  files?: () => Promise<FileSource>;
  onRefused?: (r: RefusedFile) => void;
  /** Tests already passed in this process (shared with the runtime's checks). */
  passed?: Set<string>;
}

/**
 * What serves: every published version in the store, whoever published it. Files under POLICY_DIR only
 * ever add versions (imported as approved by the repository's review, recorded in the audit chain); a
 * file whose version is published with other content is refused and the published content keeps serving.
 */
export class PublishedPolicies {
  private refusedFiles = new Map<string, RefusedFile>();
  private readonly compiled = new Map<string, CompiledPolicy>();
  private readonly fileIds = new Set<string>();

  constructor(private readonly deps: ServingDeps) {}

  refused(): RefusedFile[] {
    return [...this.refusedFiles.values()];
  }

  /** Imports new versions from the files; problems of new files (validation, tests) come back as errors. */
  async importFiles(): Promise<PolicyProblem[]> {
    if (!this.deps.files) return [];
    const files = await this.deps.files();
    const fresh: FileSource['policies'] = [];
    const refused = new Map<string, RefusedFile>();
    for (const entry of files.policies) {
      const p = entry.policy;
      this.fileIds.add(p.id);
      const existing = await this.deps.store.getPublished(p.id, p.version);
      if (!existing) fresh.push(entry);
      else if (existing.sha256 !== p.sha256) {
        const r: RefusedFile = {
          file: p.file, policyId: p.id, version: p.version, publishedSha256: existing.sha256, fileSha256: p.sha256, at: this.deps.clock.now(),
          message: `${p.file}: ${p.id}@${p.version} is already published with other content (sha256 ${existing.sha256.slice(0, 12)}…, the file has ${p.sha256.slice(0, 12)}…); a published version never changes, so the file is refused and the published content keeps serving: give the change a new version`,
        };
        refused.set(p.file, r);
        if (!this.refusedFiles.has(p.file) || this.refusedFiles.get(p.file)!.fileSha256 !== p.sha256) this.deps.onRefused?.(r);
      }
    }
    this.refusedFiles = refused;
    const checked = await checkPolicies({ policies: fresh, problems: files.problems }, this.deps.makeEvaluator, this.deps.makeReference, this.deps.passed);
    if (!checked.ok) return checked.problems;
    for (const { policy, testFile } of fresh) await this.importOne(policy, testFile?.text ?? null);
    return checked.problems;
  }

  private async importOne(p: CompiledPolicy, tests: string | null): Promise<void> {
    const at = this.deps.clock.now();
    const who = { author: p.metadata.owner ?? REPOSITORY_REVIEW, submittedBy: REPOSITORY_REVIEW, submittedAt: at, approvedBy: REPOSITORY_REVIEW, approvedAt: at };
    // Another instance importing the same file at the same moment wins the race; its record stands.
    if (await this.deps.store.getPublished(p.id, p.version)) return;
    try {
      await this.recordImport(p, at, who);
    } catch (e) {
      // Instances (or workers) starting together import the same file: the chain takes one record per content.
      if (!(e instanceof AuditStoreError && e.code === 'conflict')) throw e;
    }
    try {
      await this.deps.store.publish({ policyId: p.id, version: p.version, sha256: p.sha256, policy: p.source, tests, origin: 'REPOSITORY', ...who, comment: `imported from ${p.file}` });
    } catch (e) {
      if (!(e instanceof PolicyStoreError && e.code === 'conflict')) throw e;
    }
  }

  private async recordImport(p: CompiledPolicy, at: string, who: Record<string, string>): Promise<void> {
    await appendEvent(this.deps.audit, {
      // One id per version and content: a second import of the same file is refused by the chain, not recorded twice.
      id: `import-${p.sha256.slice(0, 32)}-${p.version}`.slice(0, 64), type: 'POLICY_PUBLISHED', at, callerKeyId: null,
      data: { policyId: p.id, version: p.version, sha256: p.sha256, ...who, file: p.file, origin: 'REPOSITORY', comment: 'approved by the repository review of POLICY_DIR' },
      policy: { id: p.id, version: p.version, sha256: p.sha256, source: p.source },
      versions: this.deps.versions,
    });
  }

  /** Every published version as a policy source for the runtime (which validates and tests before swapping). */
  async source(): Promise<PolicySource> {
    const out: PolicySource = { policies: [], problems: [] };
    for (const v of await this.deps.store.listPublished()) {
      const file = `${v.policyId}/${v.version}.yaml`;
      let policy = this.compiled.get(v.sha256);
      if (!policy) {
        const loaded = loadPolicy(v.policy, file, v.sha256);
        out.problems.push(...loaded.problems);
        if (!loaded.policy) continue;
        policy = loaded.policy;
        this.compiled.set(v.sha256, policy);
      }
      out.policies.push({ policy, ...(v.tests ? { testFile: { display: `${v.policyId}/${v.version}.test.yaml`, text: v.tests } } : {}) });
    }
    return out;
  }

  /** Imports the files, then reads what is published: the runtime's source on start and on every reload. */
  async reloadSource(): Promise<PolicySource> {
    const fileProblems = await this.importFiles();
    const src = await this.source();
    const refused: PolicyProblem[] = this.refused().map((r) => ({ file: r.file, line: 1, column: 1, path: 'metadata.version', code: 'POLICY_SEMANTIC', severity: 'warning', message: r.message }));
    return { policies: src.policies, problems: [...fileProblems, ...refused, ...src.problems] };
  }

  /** Policies configured (in POLICY_DIR or published) that have no version effective on `day` in the serving set. */
  async unservable(set: PolicySet, day: string): Promise<string[]> {
    const ids = new Set([...this.fileIds, ...(await this.deps.store.listPublished()).map((p) => p.policyId)]);
    return [...ids].filter((id) => !set.versions.some(({ policy: p }) => p.id === id && p.metadata.effectiveFrom <= day && (p.metadata.effectiveTo === undefined || day <= p.metadata.effectiveTo))).sort();
  }
}
