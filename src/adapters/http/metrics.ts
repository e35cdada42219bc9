import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per app so tests and workers do not share state. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    decisions: new Counter({ name: 'tideover_decisions_total', help: 'Option decisions by option and outcome.', labelNames: ['option', 'decision'] as const, registers: [registry] }),
    accountActions: new Counter({ name: 'tideover_account_actions_total', help: 'Account actions decided.', labelNames: ['action'] as const, registers: [registry] }),
    httpDuration: new Histogram({
      name: 'tideover_http_request_duration_seconds',
      help: 'HTTP request latency by route and status.',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    auditCommit: new Histogram({
      name: 'tideover_audit_commit_seconds',
      help: 'Time from append to durable audit record.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    policyReloads: new Counter({ name: 'tideover_policy_reloads_total', help: 'Policy set reloads by result.', labelNames: ['result'] as const, registers: [registry] }),
    policyFilesRefused: new Counter({ name: 'tideover_policy_files_refused_total', help: 'Policy files refused because their version is already published with other content (the published content keeps serving).', labelNames: ['policy'] as const, registers: [registry] }),
    rateLimited: new Counter({ name: 'tideover_rate_limited_total', help: 'Requests refused by the per-key rate limit.', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
