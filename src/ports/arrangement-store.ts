import type { StatusRules } from '../core/arrangements/status.js';

/** A payment the servicing system reported: money as decimal strings, as at every edge. */
export interface PaymentRecord {
  dueDate: string;
  paidOn: string;
  amount: string;
  reportedAt: string;
}

/** An accepted offer tracked to cure (docs/forbearance.md): what was accepted, and what has been paid. */
export interface ArrangementRecord {
  arrangementId: string;
  loanId: string;
  decisionId: string;
  option: 'INSTALLMENT' | 'GRACE_PERIOD' | 'PERSONALISED_PLAN';
  /** APPROVE or COUNTEROFFER: the decision the borrower accepted. */
  decision: string;
  acceptedAt: string;
  createdAt: string;
  /** Each scheduled payment of the accepted plan. */
  schedule: { dueDate: string; amount: string }[];
  observationPeriodEnd?: string;
  /** GRACE_PERIOD: the interest-only months granted (later decisions count them against the grace allowance). */
  graceMonths?: number;
  rules: StatusRules;
  /** For outcome monitoring: only whether vulnerability was present, never its details. */
  vulnerable: boolean;
  hardshipReason: string;
  payments: PaymentRecord[];
  /** The latest status entered into the audit chain (transitions are recorded once). */
  recordedStatus: string;
}

export interface ArrangementStore {
  readonly kind: string;
  /** Stores a new arrangement; when one already exists for the decision and option, returns that one instead. */
  create(a: ArrangementRecord): Promise<ArrangementRecord>;
  get(arrangementId: string): Promise<ArrangementRecord | undefined>;
  listByLoan(loanId: string): Promise<ArrangementRecord[]>;
  /** Arrangements accepted on dates from..to (inclusive, YYYY-MM-DD), oldest first. */
  listAccepted(from: string, to: string): Promise<ArrangementRecord[]>;
  addPayment(arrangementId: string, p: PaymentRecord): Promise<ArrangementRecord | undefined>;
  setRecordedStatus(arrangementId: string, status: string): Promise<void>;
  close(): Promise<void>;
}
