// Book screening wired for the service process and the test app: the store in the audit trail's database,
// the screening service over the policy folder, the spool folder, the recovery of runs whose owner died,
// and the routes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Router } from 'express';
import type { PolicySet } from '../../app/policy-set.js';
import { ScreeningService } from '../../app/screening-service.js';
import type { ScheduleBuilder } from '../../core/money/schedule-api.js';
import type { AuditStore } from '../../ports/audit-store.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/ids.js';
import { screeningRoutes } from '../http/routes/screenings.js';
import { loadPolicyFiles } from '../policies/file-source.js';
import { auditTarget } from '../store/audit-url.js';
import { openScreeningStore } from '../store/open-screening-store.js';
import { BookSpoolDir } from './spool.js';

/** Largest book one POST may carry: 1 GiB (about two million snapshots); larger books go through workers. */
export const MAX_BOOK_BYTES = 1 << 30;

/** A stale lease is claimed this long after its owner's last heartbeat unless SCREENING_LEASE_SECONDS says otherwise. */
export const LEASE_SECONDS = 30;
/** How often the spool folder is swept of books no run will read. */
const SWEEP_MS = 10 * 60_000;

export interface ScreeningWiring {
  service: ScreeningService;
  routes: Router;
  spool: BookSpoolDir;
  /** Hands runs in progress back (claimable at once, by this instance restarted or another), then closes the store. */
  close(): Promise<void>;
}

/**
 * SCREENING_SPOOL_DIR when set; else `screening-spool` beside the SQLite file, a temporary folder with an
 * in-memory SQLite (nothing survives that process anyway; `temporary`: removed on close), `./data/screening-spool`
 * with PostgreSQL.
 */
export async function spoolDirFor(auditUrl: string, configured?: string): Promise<{ dir: string; temporary: boolean }> {
  if (configured) return { dir: resolve(configured), temporary: false };
  const target = auditTarget(auditUrl);
  if (target.kind === 'postgres') return { dir: resolve('data', 'screening-spool'), temporary: false };
  if (target.file === ':memory:') return { dir: await mkdtemp(join(tmpdir(), 'tideover-spool-')), temporary: true };
  return { dir: join(dirname(target.file), 'screening-spool'), temporary: false };
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
  /** SCREENING_SPOOL_DIR. */
  spoolDir?: string;
  /** SCREENING_LEASE_SECONDS. */
  leaseSeconds?: number;
  /** Runs this instance took over from an owner that stopped heartbeating. */
  onResumed?: (runIds: string[]) => void;
  /** The periodic claim or sweep failed (the store was unreachable): tried again at the next tick. */
  onRecoveryError?: (e: unknown) => void;
}): Promise<ScreeningWiring> {
  const store = await openScreeningStore(o.auditUrl);
  const spoolDir = await spoolDirFor(o.auditUrl, o.spoolDir);
  const spool = new BookSpoolDir(spoolDir.dir);
  const leaseMs = (o.leaseSeconds ?? LEASE_SECONDS) * 1000;
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
    spool,
    lease: { leaseMs },
  });
  // At start and every half lease: claim the runs whose owner stopped heartbeating (one tick at a time).
  let ticking: Promise<void> | undefined;
  const tick = (sweep: boolean) => {
    ticking ??= (async () => {
      const resumed = await service.recover();
      if (resumed.length) o.onResumed?.(resumed);
      if (sweep) await spool.sweep((id) => store.getRun(id), Date.now());
    })()
      .catch((e: unknown) => o.onRecoveryError?.(e))
      .finally(() => (ticking = undefined));
    return ticking;
  };
  void tick(true);
  const claimTimer = setInterval(() => void tick(false), Math.max(500, leaseMs / 2)).unref();
  const sweepTimer = setInterval(() => void tick(true), SWEEP_MS).unref();
  return {
    service,
    spool,
    routes: screeningRoutes({ screening: service, maxBookBytes: o.maxBookBytes ?? MAX_BOOK_BYTES, receive: (body, format, max) => spool.receive(body, format, max) }),
    close: async () => {
      clearInterval(claimTimer);
      clearInterval(sweepTimer);
      await service.stop();
      await ticking; // a run it claims now is handed back at once
      await store.close();
      // The in-memory store's runs are gone with it, and so is every reason to keep their books.
      if (spoolDir.temporary) await rm(spoolDir.dir, { recursive: true, force: true });
    },
  };
}
