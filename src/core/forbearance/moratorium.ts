import type { Moratorium } from '../../generated/application.js';
import { addDays } from '../money/dates.js';

export interface MoratoriumParams {
  /** Length of a STANDARD moratorium without an end date (UK Breathing Space: 60). */
  standardDays: number;
  /** Days a MENTAL_HEALTH_CRISIS moratorium runs past the end of crisis treatment (UK: 30). */
  crisisExtraDays: number;
}

export const DEFAULT_MORATORIUM: MoratoriumParams = { standardDays: 60, crisisExtraDays: 30 };

/** First and last day (both inclusive) of a moratorium; `end` is undefined while a crisis moratorium is open-ended. */
export interface MoratoriumSpan {
  start: string;
  end?: string;
}

/** Moratoria (docs/domain.md#affordability-vulnerability-and-arrangements): STANDARD to endDate or startDate + 60 days; MENTAL_HEALTH_CRISIS to endDate + 30 days, open-ended without endDate. */
export function moratoriumSpan(m: Moratorium, p: MoratoriumParams = DEFAULT_MORATORIUM): MoratoriumSpan {
  if (m.type === 'STANDARD') return { start: m.startDate, end: m.endDate ?? addDays(m.startDate, p.standardDays) };
  return m.endDate === undefined ? { start: m.startDate } : { start: m.startDate, end: addDays(m.endDate, p.crisisExtraDays) };
}

/** The moratorium covers `day` (ISO dates compare as strings). */
export function moratoriumCovers(span: MoratoriumSpan, day: string): boolean {
  return span.start <= day && (span.end === undefined || day <= span.end);
}
