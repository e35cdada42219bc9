import type { Router } from 'express';
import { attachArrangements, type ArrangementService } from '../app/arrangements.js';
import type { DecisionService } from '../app/decision-service.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';
import { arrangementRoutes } from './http/routes/arrangements.js';
import { outcomeReportRoutes } from './http/routes/outcome-report.js';
import { openArrangementStore } from './store/open-arrangement-store.js';

/**
 * Arrangements beside the audit trail named by AUDIT_URL: the store, the service (wired so later decisions
 * get priorRestructurings from it) and its routes with the outcome report's.
 */
export async function composeArrangements(deps: {
  auditUrl: string;
  audit: AuditStore;
  decisions: DecisionService;
  clock: Clock;
  ids: IdGenerator;
  versions: { tideover: string; jsonRulesEngine: string };
  bodyLimit: number;
}): Promise<{ service: ArrangementService; routes: Router[]; close: () => Promise<void> }> {
  const store = await openArrangementStore(deps.auditUrl);
  const service = attachArrangements(deps.decisions, { store, audit: deps.audit, clock: deps.clock, ids: deps.ids, versions: deps.versions });
  return {
    service,
    routes: [arrangementRoutes({ arrangements: service, bodyLimit: deps.bodyLimit }), outcomeReportRoutes({ audit: deps.audit, arrangements: store, clock: deps.clock })],
    close: () => store.close(),
  };
}
