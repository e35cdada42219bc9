import type { RestructuringApplication } from '../../generated/application.js';
import type { DecisionResult } from '../../generated/decision.js';
import type { RecordedApplication } from '../../generated/recorded-application.js';

/**
 * Without the borrower's consent the audit trail keeps only that vulnerability was present: drivers and
 * needs are dropped (schemas/recorded-application.schema.json). The decision depends on presence alone (VU-01..VU-03 read `vulnerabilityPresent`),
 * so replaying the recorded application reproduces every outcome; `contactNeeds`, which echo the needs,
 * are recorded empty, which is what the replay gives.
 */
export function recordableApplication(app: RestructuringApplication): RecordedApplication {
  const v = app.vulnerability;
  if (v === undefined || v.consentToRecord) return app;
  return { ...app, vulnerability: { drivers: [], consentToRecord: false } };
}

export function recordableDecision(d: DecisionResult, app: RestructuringApplication): DecisionResult {
  if (app.vulnerability === undefined || app.vulnerability.consentToRecord || d.contactNeeds === undefined) return d;
  return { ...d, contactNeeds: [] };
}
