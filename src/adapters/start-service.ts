// The service process: configuration, the adapters it picks, createService, the HTTP app, listening and
// shutdown. Its entry points are src/main.ts (npm start) and `tideover serve`.
import { createRequire } from 'node:module';
import pkg from '../../package.json' with { type: 'json' };
import type { Server } from 'node:http';
import { createService, PoliciesRejected, ShadowPolicyUnknown, type Service } from '../app/create-service.js';
import { formatProblem } from '../core/policy/problem.js';
import { ConfigError, loadConfig } from '../config.js';
import { isPrimary, runPrimary } from './cluster.js';
import { createApp } from './http/app.js';
import { drain, exitOnSignals, listen } from './http/server.js';
import { KeyRing } from './http/auth.js';
import { auditRoutes } from './http/routes/audit.js';
import { lifecycleRoutes } from './http/routes/lifecycle.js';
import { simulationRoutes } from './http/routes/simulations.js';
import { watchPolicies } from './policies/watch.js';
import { composeScreening } from './screening/compose.js';
import { composeArrangements } from './arrangements-compose.js';
import { createMetrics } from './http/metrics.js';
import { loadOrCreateKeys, loadOrCreateSecret } from './keys/file.js';
import { reloadKeysOnChange } from './keys/reload.js';
import { decisionIds } from './decision-ids.js';
import { createLogger } from './log/logger.js';
import { loadPolicyFiles } from './policies/file-source.js';
import { openAuditStore } from './store/open.js';
import { openPolicyStore } from './store/open-policy-store.js';
import { pollPublications } from '../app/publication/compose.js';
import { requestHash } from './store/chain/records.js';

const require = createRequire(import.meta.url);

export function versions(): { tideover: string; jsonRulesEngine: string } {
  return {
    tideover: pkg.version,
    jsonRulesEngine: (require('json-rules-engine/package.json') as { version: string }).version,
  };
}

function fail(message: string): never {
  process.stderr.write(`tideover: ${message}\n`);
  process.exit(1);
}

/** Creates the keys file (printing the new admin token once) and the audit secret when missing. */
async function prepareKeys(config: ReturnType<typeof loadConfig>) {
  try {
    const keys = await loadOrCreateKeys(config.API_KEYS_FILE);
    const secret = await loadOrCreateSecret(config.AUDIT_KEY_FILE);
    if (keys.createdToken)
      process.stdout.write(`tideover: created ${config.API_KEYS_FILE} with key "admin" (roles decide, audit, policy-admin).\ntideover: admin token (shown once, store it now): ${keys.createdToken}\n`);
    return { keys, secret };
  } catch (e) {
    fail(e instanceof ConfigError ? e.message : `cannot prepare keys: ${(e as Error).message}`);
  }
}

/** Composition root: the only place that picks adapters. Any bad setting ends the start with exit 1 and one line. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<{ server: Server; close: () => Promise<void> }> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (e) {
    fail((e as Error).message);
  }
  const logger = createLogger(config.LOG_LEVEL);
  const { keys, secret } = await prepareKeys(config);

  let audit: Awaited<ReturnType<typeof openAuditStore>>;
  try {
    audit = await openAuditStore(config.AUDIT_URL, { now: () => new Date() });
    await audit.ping();
  } catch (e) {
    fail(`AUDIT_URL: the audit store cannot be opened for writing: ${(e as Error).message}`);
  }
  // Drafts, changes and published versions live beside the trail, so every instance sharing it sees them.
  const policyStore = await openPolicyStore(config.AUDIT_URL).catch((e: Error) => fail(`AUDIT_URL: the policy store cannot be opened: ${e.message}`));

  const metrics = createMetrics();
  let service: Service;
  try {
    service = await createService({
      policySource: () => loadPolicyFiles([config.POLICY_DIR]),
      audit,
      clock: { now: () => new Date().toISOString() },
      ids: decisionIds,
      secret,
      versions: versions(),
      evaluator: config.EVALUATOR,
      money: config.MONEY,
      ...(config.SHADOW_POLICY ? { shadowPolicy: config.SHADOW_POLICY } : {}),
      policyStore,
      onRefusedFile: (r) => {
        metrics.policyFilesRefused.inc({ policy: r.policyId });
        logger.error('policy file refused: its version is already published with other content; the published content keeps serving', { file: r.file, policy: `${r.policyId}@${r.version}`, publishedSha256: r.publishedSha256, fileSha256: r.fileSha256 });
      },
      onReload: (o) => {
        metrics.policyReloads.inc({ result: o.ok ? 'ok' : 'failed' });
        if (o.ok) logger.info('policies reloaded', { trigger: o.trigger, versions: o.versions });
        else logger.error('policy reload refused; the previous set keeps serving', { trigger: o.trigger, problems: o.problems.map(formatProblem) });
      },
      onDecision: (d, ms) => {
        for (const o of d.options) metrics.decisions.inc({ option: o.option, decision: o.decision });
        metrics.accountActions.inc({ action: d.accountAction.action });
        metrics.auditCommit.observe(ms.audit / 1000);
      },
    });
  } catch (e) {
    if (e instanceof ShadowPolicyUnknown) fail(e.message);
    if (!(e instanceof PoliciesRejected)) fail(`POLICY_DIR ${config.POLICY_DIR}: ${(e as Error).message}`);
    for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
    fail(`POLICY_DIR ${config.POLICY_DIR}: ${e.message}`);
  }
  const { runtime, makeEvaluator, schedules, shadow } = service;
  // Warnings (YAML ones included) are logged located, with words of our own: never the policy text.
  for (const p of service.checked.problems) if (p.severity === 'warning') logger.warn('policy warning', { at: `${p.file}:${p.line}:${p.column}`, code: p.code, warning: p.message });
  const screening = await composeScreening({
    auditUrl: config.AUDIT_URL,
    policyDir: config.POLICY_DIR,
    audit,
    decisionPolicies: service.policies,
    schedules,
    clock: { now: () => new Date().toISOString() },
    ids: decisionIds,
    versions: versions(),
    onError: (runId, e) => logger.error('screening run failed', { runId, error: (e as Error).message }),
    ...(config.SCREENING_SPOOL_DIR ? { spoolDir: config.SCREENING_SPOOL_DIR } : {}),
    leaseSeconds: config.SCREENING_LEASE_SECONDS,
    onResumed: (runIds) => logger.info('screening runs resumed from their spooled books', { runIds }),
    onRecoveryError: (e) => logger.warn('screening runs not checked for a dead owner; tried again shortly', { error: (e as Error).message }),
  }).catch((e: Error) => fail(`AUDIT_URL: the screening store cannot be opened: ${e.message}`));
  const arrangements = await composeArrangements({
    auditUrl: config.AUDIT_URL,
    audit,
    decisions: service.decisions,
    clock: { now: () => new Date().toISOString() },
    ids: decisionIds,
    versions: versions(),
    bodyLimit: config.BODY_LIMIT_BYTES,
  }).catch((e: Error) => fail(`AUDIT_URL: the arrangement store cannot be opened: ${e.message}`));
  let shuttingDown = false;
  const ring = new KeyRing(keys.file.keys);
  const stopKeyReload = reloadKeysOnChange(config.API_KEYS_FILE, (k) => ring.replace(k), logger);
  const app = createApp({
    service: service.decisions,
    policies: service.policies,
    audit,
    ring,
    logger,
    metrics,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestHash,
    schedules,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    corsOrigins: config.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    isShuttingDown: () => shuttingDown,
    version: pkg.version,
    ...(service.publication ? { publication: service.publication } : {}),
    extraRoutes: [
      auditRoutes({ audit, service: service.decisions, signingKey: secret, makeEvaluator: () => makeEvaluator }),
      lifecycleRoutes({ runtime, makeEvaluator, bodyLimit: config.BODY_LIMIT_BYTES, ...(shadow ? { shadow } : {}), ...(service.publication ? { publicationStatus: service.publication.status } : {}) }),
      simulationRoutes({ policies: service.policies, makeEvaluator, bodyLimit: config.SIMULATION_BODY_LIMIT_BYTES }),
      screening.routes,
      ...arrangements.routes,
    ],
  });
  const stopWatching = config.POLICY_WATCH
    ? watchPolicies(config.POLICY_DIR, () => void runtime.reload('file change'), (e) => logger.warn('policy folder not watched', { error: e.message }))
    : () => undefined;
  process.on('SIGHUP', () => void runtime.reload('SIGHUP'));
  // A version approved on another instance sharing the store serves here within half a second plus its test run.
  const stopPolling = pollPublications(policyStore, runtime, 500, (e) => logger.warn('policy store not readable; publications elsewhere not seen yet', { error: e.message }));

  const server = await listen(app, { port: config.PORT, host: config.HOST, requestTimeoutMs: config.REQUEST_TIMEOUT_MS }).catch((e: NodeJS.ErrnoException) =>
    fail(`PORT ${config.PORT} / HOST ${config.HOST}: cannot listen: ${e.code ?? e.message}`),
  );
  const addr = server.address();
  logger.info('listening', { host: config.HOST, port: typeof addr === 'object' && addr ? addr.port : config.PORT, policies: runtime.status().serving.versions, audit: audit.kind });

  const close = async () => {
    shuttingDown = true;
    stopWatching();
    stopKeyReload();
    stopPolling();
    await drain(server);
    await screening.close();
    await arrangements.close();
    await policyStore.close();
    await audit.close();
  };
  exitOnSignals(server, { graceMs: config.SHUTDOWN_TIMEOUT_MS, logger, close, flush: () => audit.close() });
  return { server, close };
}

/** `npm start`: one process, or with WORKERS > 1 a primary that forks the workers. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: ReturnType<typeof loadConfig> | undefined;
  try {
    config = loadConfig(env);
  } catch {
    // start() reports the bad setting with its one clear line
  }
  if (config && config.WORKERS > 1 && isPrimary()) {
    await prepareKeys(config); // once, before the workers race to create the files
    runPrimary(config.WORKERS, (m) => process.stderr.write(`tideover: ${m}\n`));
  } else await start(env);
}
