import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addDays,
  addMonthsClamped,
  compareDates,
  dateOf,
  daysBetween,
  isValidIsoDate,
  monthlyDates,
  weekday,
} from '../../../src/core/money/dates.js';
import { MoneyInputError } from '../../../src/core/money/errors.js';

describe('calendar helpers on YYYY-MM-DD strings', () => {
  it('clamps to the last day of shorter months, with leap years', () => {
    expect(addMonthsClamped('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsClamped('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonthsClamped('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonthsClamped('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonthsClamped('2026-01-31', 25)).toBe('2028-02-29');
  });

  it('counts every due date from the first, so a month-end anchor survives February', () => {
    expect(monthlyDates('2026-01-31', 4)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
  });

  it('counts actual days, across leap days and year ends', () => {
    expect(daysBetween('2026-03-01', '2026-03-21')).toBe(20);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-21', '2026-03-01')).toBe(-20);
    expect(daysBetween('1970-01-01', '2000-01-01')).toBe(10957);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('skips Saturdays and Sundays when adding business days', () => {
    expect(weekday('2026-03-06')).toBe(4); // a Friday
    expect(addBusinessDays('2026-03-06', 1)).toBe('2026-03-09');
    expect(addBusinessDays('2026-03-06', 5)).toBe('2026-03-13');
    expect(addBusinessDays('2026-03-07', 1)).toBe('2026-03-09');
    expect(addBusinessDays('2026-03-09', -1)).toBe('2026-03-06');
    expect(addBusinessDays('2026-03-07', 0)).toBe('2026-03-07');
  });

  it('accepts only real calendar dates', () => {
    expect(['2026-02-28', '2028-02-29', '2000-02-29', '0001-01-01'].every(isValidIsoDate)).toBe(true);
    expect(['2026-02-29', '1900-02-29', '2026-13-01', '2026-04-31', '2026-1-01', '20260101', '2026-01-01T00:00'].some(isValidIsoDate)).toBe(false);
    expect(() => addDays('2026-02-30', 1)).toThrowError(MoneyInputError);
  });

  it('takes the date of a datetime as written, without converting time zones', () => {
    expect(dateOf('2026-03-01T23:30:00-05:00')).toBe('2026-03-01');
    expect(dateOf('2026-03-01T00:10:00+08:00')).toBe('2026-03-01');
    expect(() => dateOf('2026-03-01')).toThrowError(MoneyInputError);
  });

  it('orders dates', () => {
    expect(compareDates('2026-01-31', '2026-02-01')).toBe(-1);
    expect(compareDates('2026-02-01', '2026-02-01')).toBe(0);
    expect(compareDates('2027-01-01', '2026-12-31')).toBe(1);
  });
});

describe('dateOf refuses what is not a string', () => {
  it('with the typed INVALID_DATE error, not a TypeError', () => {
    for (const bad of [undefined, null, 20260301, new Date(0)] as unknown as string[]) {
      expect(() => dateOf(bad)).toThrow(MoneyInputError);
    }
  });
});
