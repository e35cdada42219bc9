import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createService } from '../../src/app/create-service.js';
import { createApp } from '../../src/adapters/http/app.js';
import { KeyRing } from '../../src/adapters/http/auth.js';
import { createMetrics } from '../../src/adapters/http/metrics.js';
import { createLogger } from '../../src/adapters/log/logger.js';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';
import { composeScreening, type ScreeningWiring } from '../../src/adapters/screening/compose.js';
import { decisionIds } from '../../src/adapters/decision-ids.js';
import { openAuditStore } from '../../src/adapters/store/open.js';
import { requestHash } from '../../src/adapters/store/chain/records.js';
import type { AuditStore } from '../../src/ports/audit-store.js';

export const SCREEN_TOKEN = 'tok-screen-0123456789';
export const DECIDE_TOKEN = 'tok-decide-only-0123456789';
const POLICY_DIR = join(import.meta.dirname, '..', '..', 'policies');

const key = (id: string, token: string, roles: ['screen'] | ['decide']) => ({ id, sha256: createHash('sha256').update(token).digest('hex'), roles });

/** The HTTP app with book screening mounted, over the shipped policies and a fresh store (SQLite unless a URL is given). */
export async function buildScreeningApp(opts: { auditUrl?: string; maxBookBytes?: number; requestTimeoutMs?: number } = {}): Promise<{ app: ReturnType<typeof createApp>; audit: AuditStore; screening: ScreeningWiring; close: () => Promise<void> }> {
  const auditUrl = opts.auditUrl ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'tideover-screening-')), 'audit.db')}`;
  const audit = await openAuditStore(auditUrl, { now: () => new Date() });
  const versions = { tideover: 'test', jsonRulesEngine: '7.3.1' };
  const clock = { now: () => new Date().toISOString() };
  const service = await createService({ policySource: () => loadPolicyFiles([POLICY_DIR]), audit, clock, ids: decisionIds, secret: randomBytes(32), versions, crossCheck: false });
  const screening = await composeScreening({ auditUrl, policyDir: POLICY_DIR, audit, decisionPolicies: service.policies, clock, ids: decisionIds, versions, ...(opts.maxBookBytes ? { maxBookBytes: opts.maxBookBytes } : {}) });
  const app = createApp({
    service: service.decisions,
    policies: service.policies,
    audit,
    ring: new KeyRing([key('screener', SCREEN_TOKEN, ['screen']), key('servicing', DECIDE_TOKEN, ['decide'])]),
    logger: createLogger('error', new Writable({ write: (_c, _e, cb) => cb() })),
    metrics: createMetrics(),
    bodyLimit: 262144,
    requestHash,
    rateLimitPerMinute: 0,
    requestTimeoutMs: opts.requestTimeoutMs ?? 30000,
    corsOrigins: [],
    isShuttingDown: () => false,
    version: 'test',
    extraRoutes: [screening.routes],
  });
  return { app, audit, screening, close: async () => { await screening.close(); await audit.close(); } };
}
