import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createService, PoliciesRejected } from '../../src/app/create-service.js';
import type { DecisionService } from '../../src/app/decision-service.js';
import type { PolicyRuntime } from '../../src/app/policy-runtime.js';
import type { Clock } from '../../src/ports/clock.js';
import { createApp } from '../../src/adapters/http/app.js';
import { KeyRing, type Role } from '../../src/adapters/http/auth.js';
import { createMetrics } from '../../src/adapters/http/metrics.js';
import { createLogger } from '../../src/adapters/log/logger.js';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';
import { auditRoutes } from '../../src/adapters/http/routes/audit.js';
import { lifecycleRoutes } from '../../src/adapters/http/routes/lifecycle.js';
import { simulationRoutes } from '../../src/adapters/http/routes/simulations.js';
import { decisionIds } from '../../src/adapters/decision-ids.js';
import { openAuditStore } from '../../src/adapters/store/open.js';
import { composeScreening } from '../../src/adapters/screening/compose.js';
import { composeArrangements } from '../../src/adapters/arrangements-compose.js';
import { openPolicyStore } from '../../src/adapters/store/open-policy-store.js';
import type { Publication } from '../../src/app/publication/compose.js';
import { requestHash } from '../../src/adapters/store/chain/records.js';
import type { AuditStore } from '../../src/ports/audit-store.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The README's example application, parsed fresh for each use. */
export function exampleApplication(): Record<string, any> {
  return JSON.parse(readFileSync(join(ROOT, 'examples', 'application.json'), 'utf8'));
}

export const TOKENS: Record<'decide' | 'audit' | 'admin' | 'none' | 'author' | 'approver' | 'authorApprover' | 'screen', string> = {
  screen: 'tok-screen-0123456789',
  author: 'tok-author-0123456789',
  approver: 'tok-approver-0123456789',
  authorApprover: 'tok-author-approver-0123456789',
  decide: 'tok-decide-0123456789',
  audit: 'tok-audit-0123456789',
  admin: 'tok-admin-0123456789',
  none: 'tok-noroles-0123456789',
};

function key(id: string, token: string, roles: [Role, ...Role[]]) {
  return { id, sha256: createHash('sha256').update(token).digest('hex'), roles };
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  runtime: PolicyRuntime;
  audit: AuditStore;
  service: DecisionService;
  publication: Publication;
  logs: string[];
  close: () => Promise<void>;
}

/** The real app over the shipped policies and a fresh SQLite audit file; logs are captured for assertions. */
export async function buildTestApp(opts: { shadow?: { version: string }; policyDir?: string; auditUrl?: string; clock?: Clock; bodyLimit?: number; rateLimitPerMinute?: number; requestTimeoutMs?: number } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'tideover-test-'));
  const auditUrl = opts.auditUrl ?? `sqlite:${join(dir, 'audit.db')}`;
  const audit = await openAuditStore(auditUrl, { now: () => new Date() });
  const policyStore = await openPolicyStore(auditUrl);
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger('debug', stream);
  const secret = randomBytes(32);
  const metrics = createMetrics();
  const composed = await createService({
    policySource: () => loadPolicyFiles([opts.policyDir ?? join(ROOT, 'policies')]),
    audit,
    clock: opts.clock ?? { now: () => new Date().toISOString() },
    ids: decisionIds,
    secret,
    versions: { tideover: 'test', jsonRulesEngine: '7.3.1' },
    // The shipped policies' tests are cross-checked against json-rules-engine by the policy check tests.
    crossCheck: false,
    ...(opts.shadow ? { shadowPolicy: opts.shadow.version } : {}),
    policyStore,
    onRefusedFile: (r) => {
      metrics.policyFilesRefused.inc({ policy: r.policyId });
      logger.error('policy file refused: its version is already published with other content', { file: r.file, policy: `${r.policyId}@${r.version}`, message: r.message });
    },
  }).catch(async (e: Error) => {
    await audit.close();
    await policyStore.close();
    throw e instanceof PoliciesRejected ? new Error(`shipped policies fail: ${e.problems.map((p) => p.message).join('; ')}`) : e;
  });
  const { runtime, policies, makeEvaluator, shadow, decisions: service } = composed;
  const publication = composed.publication!;
  const screening = await composeScreening({ auditUrl, policyDir: opts.policyDir ?? join(ROOT, 'policies'), audit, decisionPolicies: policies, clock: opts.clock ?? { now: () => new Date().toISOString() }, ids: decisionIds, versions: { tideover: 'test', jsonRulesEngine: '7.3.1' } });
  const arrangements = await composeArrangements({ auditUrl, audit, decisions: service, clock: opts.clock ?? { now: () => new Date().toISOString() }, ids: decisionIds, versions: { tideover: 'test', jsonRulesEngine: '7.3.1' }, bodyLimit: opts.bodyLimit ?? 262144 });
  const ring = new KeyRing([
    key('servicing', TOKENS.decide, ['decide']),
    key('auditor', TOKENS.audit, ['audit']),
    key('admin', TOKENS.admin, ['decide', 'audit', 'policy-admin']),
    key('nobody', TOKENS.none, ['policy-admin']),
    key('author', TOKENS.author, ['policy-author']),
    key('approver', TOKENS.approver, ['policy-approver']),
    key('author-approver', TOKENS.authorApprover, ['policy-author', 'policy-approver']),
    key('screener', TOKENS.screen, ['screen']),
  ]);
  const app = createApp({
    service,
    policies,
    audit,
    ring,
    logger,
    metrics,
    bodyLimit: opts.bodyLimit ?? 262144,
    requestHash,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 0,
    requestTimeoutMs: opts.requestTimeoutMs ?? 10000,
    corsOrigins: [],
    isShuttingDown: () => false,
    version: 'test',
    publication,
    extraRoutes: [auditRoutes({ audit, service, signingKey: secret, makeEvaluator: () => makeEvaluator }), lifecycleRoutes({ runtime, makeEvaluator, bodyLimit: opts.bodyLimit ?? 262144, publicationStatus: () => publication.status(), ...(shadow ? { shadow } : {}) }), simulationRoutes({ policies, makeEvaluator, bodyLimit: 4194304 }), screening.routes, ...arrangements.routes],
  });
  return { app, runtime, audit, service, publication, logs, close: async () => { await screening.close(); await arrangements.close(); await audit.close(); await policyStore.close(); } };
}
