import type { ScreeningPolicy } from '../../generated/screening-policy.js';
import type { ScreeningFactName, ScreeningFacts } from './facts.js';
import type { ReasonTexts } from './reasons.js';

export const TIERS = ['EXCLUDED', 'LOW', 'WATCH', 'HIGH', 'CRITICAL'] as const;
export type Tier = (typeof TIERS)[number];

/** A compiled condition: evaluation is a closure; `facts`/`params` say what it reads. */
export type Predicate = (f: ScreeningFacts) => boolean;

export interface CompiledScreeningRule {
  id: string;
  description: string;
  /** 0 for an exclusion. */
  points: number;
  reasonCode: string;
  when: Predicate;
  facts: ScreeningFactName[];
  params: string[];
}

/** Parameters every screening policy must define: the tier cut-offs and outreach windows. */
export const SCREENING_ENGINE_PARAMS = {
  tierWatchMinPoints: 'Lowest total points of WATCH.',
  tierHighMinPoints: 'Lowest total points of HIGH.',
  tierCriticalMinPoints: 'Lowest total points of CRITICAL.',
  criticalContactDays: 'A CRITICAL loan is contacted by asOf + this many days.',
  highContactDays: 'A HIGH loan is contacted by asOf + this many days, or the day before its next due date if earlier.',
} as const;
export type ScreeningEngineParam = keyof typeof SCREENING_ENGINE_PARAMS;

export interface CompiledScreeningPolicy {
  id: string;
  version: string;
  sha256: string;
  file: string;
  /** The file's text, kept for the audit chain's policy snapshot. */
  source: string;
  metadata: ScreeningPolicy['metadata'];
  params: Record<string, number>;
  exclusions: CompiledScreeningRule[];
  rules: CompiledScreeningRule[];
  reasonCodes: ScreeningPolicy['reasonCodes'];
  /** The reason codes' texts, parsed once at compile time (no module-level cache keyed by the policy). */
  reasonTexts: ReadonlyMap<string, ReasonTexts>;
}

export interface ScreeningReason {
  rank: number;
  ruleId: string;
  code: string;
  points: number;
  text: { en: string; zh: string };
  /** The actual values the rule read, as shown in the text. */
  values: Record<string, string>;
}

/** The screening of one loan, before any offer is attached. */
export interface Screening {
  loanId: string;
  borrowerId: string;
  asOf: string;
  policyVersion: string;
  tier: Tier;
  /** null when the loan is excluded: it is not scored. */
  points: number | null;
  reasons: ScreeningReason[];
  contactBy?: string;
}
