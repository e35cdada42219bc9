// Amounts are integer cents (bigint); period numbers and month counts are plain integers.

export type RepaymentMethod = 'EQUAL_INSTALLMENT' | 'EQUAL_PRINCIPAL';

export interface ScheduleInput {
  principal: bigint;
  /** Nominal annual rate as a decimal string, e.g. "0.108"; the period rate is annual/12. */
  annualRate: string;
  /** Amortising periods after any grace. */
  amortisationMonths: number;
  method: RepaymentMethod;
  /** Interest-only periods before amortisation. */
  graceMonths?: number;
  /** Due date of period 1 (YYYY-MM-DD). */
  firstDueDate?: string;
}

export interface ScheduleRow {
  period: number;
  dueDate?: string;
  payment: bigint;
  principal: bigint;
  interest: bigint;
  closingBalance: bigint;
}

export interface Schedule {
  /** Level payment (equal installment) or the first amortising payment (equal principal). */
  regularPayment: bigint;
  /** Interest-only payment, present when there is a grace period. */
  gracePayment?: bigint;
  rows: ScheduleRow[];
  totalInterest: bigint;
  totalPrincipal: bigint;
  totalPayment: bigint;
}
