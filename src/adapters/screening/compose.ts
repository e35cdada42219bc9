// Book screening wired for the service process and the test app: the store in the audit trail's database,
// the screening service over the policy folder, and its routes.
import type { Router } from 'express';
import type { PolicySet } from '../../app/policy-set.js';
import { ScreeningService } from '../../app/screening-service.js';
import type { ScheduleBuilder } from '../../core/money/schedule-api.js';
import type { AuditStore } from '../../ports/audit-store.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/ids.js';
import { screeningRoutes } from '../http/routes/screenings.js';
import { loadPolicyFiles } from '../policies/file-source.js';
import { openScreeningStore } from '../store/open-screening-store.js';

/** Largest book one POST may carry: 1 GiB (about two million snapshots); larger books go through workers. */
export const MAX_BOOK_BYTES = 1 << 30;

export interface ScreeningWiring {
  service: ScreeningService;
  routes: Router;
  /** Lets runs in progress finish, then closes the store. */
  close(): Promise<void>;
}

export async function composeScreening(o: {
  auditUrl: string;
  policyDir: string;
  audit: AuditStore;
  decisionPolicies: () => PolicySet;
  schedules?: ScheduleBuilder;
  clock: Clock;
  ids: IdGenerator;
  versions: { tideover: string; jsonRulesEngine: string };
  onError?: (runId: string, e: unknown) => void;
  maxBookBytes?: number;
}): Promise<ScreeningWiring> {
  const store = await openScreeningStore(o.auditUrl);
  const service = new ScreeningService({
    store,
    audit: o.audit,
    policySource: () => loadPolicyFiles([o.policyDir]),
    decisionPolicies: o.decisionPolicies,
    ...(o.schedules ? { schedules: o.schedules } : {}),
    clock: o.clock,
    ids: o.ids,
    versions: o.versions,
    ...(o.onError ? { onError: o.onError } : {}),
  });
  return {
    service,
    routes: screeningRoutes({ screening: service, maxBookBytes: o.maxBookBytes ?? MAX_BOOK_BYTES }),
    close: async () => {
      await service.drain();
      await store.close();
    },
  };
}
