import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createService } from '../../src/app/create-service.js';
import type { ArrangementService } from '../../src/app/arrangements.js';
import { composeArrangements } from '../../src/adapters/arrangements-compose.js';
import { createApp } from '../../src/adapters/http/app.js';
import { KeyRing } from '../../src/adapters/http/auth.js';
import { createMetrics } from '../../src/adapters/http/metrics.js';
import { createLogger } from '../../src/adapters/log/logger.js';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';
import { decisionIds } from '../../src/adapters/decision-ids.js';
import { openAuditStore } from '../../src/adapters/store/open.js';
import { requestHash } from '../../src/adapters/store/chain/records.js';
import type { AuditStore } from '../../src/ports/audit-store.js';
import { ROOT } from './app.js';

export const FB_TOKENS = { decide: 'tok-fb-decide-0123456789', audit: 'tok-fb-audit-0123456789' };

export interface ForbearanceApp {
  app: ReturnType<typeof createApp>;
  audit: AuditStore;
  arrangements: ArrangementService;
  makeEvaluator: Awaited<ReturnType<typeof createService>>['makeEvaluator'];
  logs: string[];
  /** Sets the service's clock (ISO instant). */
  setNow: (iso: string) => void;
  close: () => Promise<void>;
}

/**
 * The real app over the shipped policies with the arrangement and report routes, a fresh audit trail
 * (SQLite file, or `auditUrl`) and a clock the test moves; logs are captured.
 */
export async function buildForbearanceApp(opts: { auditUrl?: string; now?: string } = {}): Promise<ForbearanceApp> {
  const url = opts.auditUrl ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'tideover-fb-')), 'audit.db')}`;
  const audit = await openAuditStore(url, { now: () => new Date() });
  let now = opts.now ?? new Date().toISOString();
  const clock = { now: () => now };
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const versions = { tideover: 'test', jsonRulesEngine: '7.3.1' };
  const composed = await createService({ policySource: () => loadPolicyFiles([join(ROOT, 'policies')]), audit, clock, ids: decisionIds, secret: randomBytes(32), versions, crossCheck: false });
  const composedArrangements = await composeArrangements({ auditUrl: url, audit, decisions: composed.decisions, clock, ids: decisionIds, versions, bodyLimit: 262144 });
  const arrangements = composedArrangements.service;
  const sha = (t: string) => createHash('sha256').update(t).digest('hex');
  const ring = new KeyRing([
    { id: 'servicing', sha256: sha(FB_TOKENS.decide), roles: ['decide'] },
    { id: 'compliance', sha256: sha(FB_TOKENS.audit), roles: ['audit'] },
  ]);
  const app = createApp({
    service: composed.decisions,
    policies: composed.policies,
    audit,
    ring,
    logger: createLogger('debug', stream),
    metrics: createMetrics(),
    bodyLimit: 262144,
    requestHash,
    rateLimitPerMinute: 0,
    requestTimeoutMs: 10000,
    corsOrigins: [],
    isShuttingDown: () => false,
    version: 'test',
    extraRoutes: composedArrangements.routes,
  });
  return {
    app,
    audit,
    arrangements,
    makeEvaluator: composed.makeEvaluator,
    logs,
    setNow: (iso) => {
      now = iso;
    },
    close: async () => {
      await composedArrangements.close();
      await audit.close();
    },
  };
}
