import { TWO_DIGITS } from './decimal.js';
import { MoneyInputError } from './errors.js';

// Calendar arithmetic on days since 1970-01-01 (proleptic Gregorian, Hinnant's civil algorithms).
// Integer maths only: no Date object, so no time zone and no two-digit-year surprises of Date.UTC.

/**
 * What the prefix /^(\d{4}-\d{2}-\d{2})[Tt ]\d{2}:\d{2}/ of an ISO datetime asks after its first ten characters,
 * read without a regex: dateOf then has split() check those ten, which accepts exactly \d{4}-\d{2}-\d{2}.
 */
function hasTimeAfterDate(s: string): boolean {
  // Not a string: dateOf's own check then fails it with INVALID_DATE, as the regex did.
  if (typeof s !== 'string' || s.length < 16) return false;
  const sep = s.charCodeAt(10);
  return (sep === 84 || sep === 116 || sep === 32) && (digit(s, 11) | digit(s, 12) | digit(s, 14) | digit(s, 15)) >= 0 && s.charCodeAt(13) === 58; // 'T' 't' ' ', ':'
}

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}


/** The value of the ASCII digit at i, or -1 (what /\d/ accepts: 0-9 only). */
function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Accepts exactly what ISO_DATE (/^(\d{4})-(\d{2})-(\d{2})$/) does, read digit by digit without a regex. */
function split(date: string): Ymd | null {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  const y0 = digit(date, 0);
  const y1 = digit(date, 1);
  const y2 = digit(date, 2);
  const y3 = digit(date, 3);
  const m0 = digit(date, 5);
  const m1 = digit(date, 6);
  const d0 = digit(date, 8);
  const d1 = digit(date, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return null;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) ? { y, m, d } : null;
}

function parse(date: string): Ymd {
  const ymd = split(date);
  if (!ymd) throw new MoneyInputError('INVALID_DATE', `not a valid YYYY-MM-DD date: "${date}"`);
  return ymd;
}

function format({ y, m, d }: Ymd): string {
  if (y < 0 || y > 9999) throw new MoneyInputError('INVALID_DATE', `date out of range 0000-9999 (year ${y})`);
  // m and d are a calendar month and day here (1–12, 1–31): table look-ups, not padStart.
  return `${y < 1000 ? String(y).padStart(4, '0') : String(y)}-${TWO_DIGITS[m] as string}-${TWO_DIGITS[d] as string}`;
}

function toDays({ y, m, d }: Ymd): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromDays(days: number): Ymd {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function requireWhole(n: number): void {
  if (!Number.isSafeInteger(n)) throw new MoneyInputError('INVALID_ARGUMENT', `not a whole number: ${n}`);
}

export function isValidIsoDate(date: string): boolean {
  return split(date) !== null;
}

// A date-time must carry its offset: without one the instant would depend on the reader's time zone.
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A calendar date YYYY-MM-DD, or a date-time with its offset, that names a real instant (the one form for query bounds). */
export function isDateOrInstant(value: string): boolean {
  return DATE_OR_INSTANT.test(value) && isValidIsoDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

/** Same day-of-month n months later, clamped to the month's last day (Jan 31 + 1 → Feb 28/29). */
export function addMonthsClamped(date: string, n: number): string {
  return shiftMonths(parse(date), n);
}

/** Due dates of periods 1..count, each counted from the first so a month-end anchor is kept. */
export function monthlyDates(first: string, count: number): string[] {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_CACHED_DATES) {
    const ymd = parse(first);
    return Array.from({ length: count }, (_, k) => shiftMonths(ymd, k));
  }
  return dueDates(first, count).slice(0, count);
}

// A decision builds several schedules from the same first due date, so the last few anchors keep their
// date lists (strings are immutable, so rows can share them). Bounded: MAX_ANCHORS lists of at most
// MAX_CACHED_DATES dates.
const MAX_ANCHORS = 16;
const MAX_CACHED_DATES = 1200;
const dateLists = new Map<string, string[]>();

/**
 * monthlyDates(first, count) as a shared list of at least `count` dates (count a whole number). A list
 * is only ever computed to the length asked, so the errors are those computing `count` dates raises.
 */
function dueDates(first: string, count: number): readonly string[] {
  const cached = dateLists.get(first);
  if (cached !== undefined && cached.length >= count) return cached;
  const list = computeDates(first, count);
  if (count <= MAX_CACHED_DATES) {
    if (cached === undefined && dateLists.size >= MAX_ANCHORS) {
      const oldest = dateLists.keys().next().value;
      if (oldest !== undefined) dateLists.delete(oldest);
    }
    dateLists.set(first, list);
  }
  return list;
}

function computeDates(first: string, count: number): string[] {
  const ymd = parse(first);
  const dates = new Array<string>(count);
  // Integer year and month stepped together; the year is formatted once per year. Same strings and the
  // same error at the same period as format(shiftMonths(first, k)) for k = 0, 1, ….
  let { y, m } = ymd;
  let year = '';
  for (let k = 0; k < count; k++) {
    if (k === 0 || m === 1) {
      if (y < 0 || y > 9999) throw new MoneyInputError('INVALID_DATE', `date out of range 0000-9999 (year ${y})`);
      year = y < 1000 ? String(y).padStart(4, '0') : String(y);
    }
    const d = ymd.d <= 28 ? ymd.d : Math.min(ymd.d, daysInMonth(y, m));
    dates[k] = `${year}-${TWO_DIGITS[m] as string}-${TWO_DIGITS[d] as string}`;
    if (m === 12) {
      m = 1;
      y++;
    } else m++;
  }
  return dates;
}

function shiftMonths({ y, m, d }: Ymd, n: number): string {
  requireWhole(n);
  const index = y * 12 + (m - 1) + n;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  return format({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

export function addDays(date: string, n: number): string {
  requireWhole(n);
  return format(fromDays(toDays(parse(date)) + n));
}

/** Actual days from a to b; negative when b is before a. */
export function daysBetween(a: string, b: string): number {
  return toDays(parse(b)) - toDays(parse(a));
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(date: string): number {
  return (((toDays(parse(date)) + 3) % 7) + 7) % 7;
}

/** Moves |n| weekdays (Mon–Fri) forward, or back when n < 0; n = 0 returns the date unchanged. */
export function addBusinessDays(date: string, n: number): string {
  requireWhole(n);
  const step = n < 0 ? -1 : 1;
  let days = toDays(parse(date));
  for (let left = Math.abs(n); left > 0; ) {
    days += step;
    if ((((days + 3) % 7) + 7) % 7 < 5) left--;
  }
  return format(fromDays(days));
}

/** The calendar date as written in an ISO datetime ("2026-03-01T23:30:00-05:00" → "2026-03-01"). */
export function dateOf(isoDateTime: string): string {
  const date = hasTimeAfterDate(isoDateTime) ? isoDateTime.slice(0, 10) : undefined;
  if (date === undefined || !isValidIsoDate(date)) {
    throw new MoneyInputError('INVALID_DATE', `not an ISO 8601 datetime: "${isoDateTime}"`);
  }
  return date;
}

export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const diff = daysBetween(b, a);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}
