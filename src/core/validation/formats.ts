// The JSON Schema formats `date` and `date-time`, accepting exactly the strings ajv-formats' full formats accept
// (test/core/validation/formats.test.ts holds them against ajv-formats), without allocating: theirs build a
// RegExp match array and split the string on every call, a few KB per decision request.

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** ajv-formats reads the seconds with `+"59.<fraction>"`: a fraction of at least 1 - 2^-48 (these digits, the
 * midpoint below 60 or 61, where doubles are 2^-47 apart; a tie rounds to the even 60 or 61) becomes 60 or 61. */
const ROUNDS_UP = '999999999999996447286321199499070644378662109375';

/** The two digits at i as a number, or -1 (charCodeAt past the end is NaN, which fails both comparisons). */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function dateAt(s: string, i: number): boolean {
  const century = twoDigits(s, i);
  const yy = twoDigits(s, i + 2);
  const month = twoDigits(s, i + 5);
  const day = twoDigits(s, i + 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45) return false;
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month]!);
}

function fractionRoundsUp(s: string, from: number, to: number): boolean {
  for (let k = 0; from + k < to; k++) {
    if (k === ROUNDS_UP.length) return true;
    const a = s.charCodeAt(from + k);
    const b = ROUNDS_UP.charCodeAt(k);
    if (a !== b) return a > b;
  }
  return to - from === ROUNDS_UP.length;
}

/** ajv-formats' getTime(true): the time zone is required, and a leap second must fall on 23:59 UTC. */
function timeAt(s: string, i: number): boolean {
  const hr = twoDigits(s, i);
  const min = twoDigits(s, i + 3);
  const sec = twoDigits(s, i + 6);
  if (hr < 0 || min < 0 || sec < 0 || s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return false;
  let j = i + 8;
  let fraction = j;
  if (s.charCodeAt(j) === 46) {
    fraction = ++j;
    while (s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    if (j === fraction) return false;
  }
  const fractionEnd = j;
  let tzSign = 1;
  let tzH = 0;
  let tzM = 0;
  const c = s.charCodeAt(j);
  if (c === 90 || c === 122) j++;
  else if (c === 43 || c === 45) {
    tzSign = c === 45 ? -1 : 1;
    tzH = twoDigits(s, j + 1);
    j += 3;
    if (j < s.length) {
      if (s.charCodeAt(j) === 58) j++;
      tzM = twoDigits(s, j);
      j += 2;
    }
    if (tzH < 0 || tzM < 0) return false;
  } else return false;
  if (j !== s.length || tzH > 23 || tzM > 59) return false;
  const roundsUp = fractionRoundsUp(s, fraction, fractionEnd);
  if (hr <= 23 && min <= 59 && (sec < 59 || (sec === 59 && !roundsUp))) return true;
  const utcMin = min - tzM * tzSign;
  const utcHr = hr - tzH * tzSign - (utcMin < 0 ? 1 : 0);
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && (sec < 60 || (sec === 60 && !roundsUp));
}

/** What ajv-formats splits a date-time on, /t|\s/i: 't', 'T' or any character JavaScript's \s matches. */
function isSeparator(c: number): boolean {
  return (
    c === 116 || c === 84 || c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

export function isDate(s: string): boolean {
  return s.length === 10 && dateAt(s, 0);
}

/** The date is 10 characters without a separator and the time has none either, so "exactly two parts" of the
 * split is a separator at index 10. */
export function isDateTime(s: string): boolean {
  return isSeparator(s.charCodeAt(10)) && dateAt(s, 0) && timeAt(s, 11);
}

/** Registers "date" and "date-time" on an ajv instance: the strings ajv-formats accepts, without allocating per call. */
export function addDateFormats(ajv: { addFormat(name: string, format: { type: 'string'; validate: (s: string) => boolean }): unknown }): void {
  ajv.addFormat('date', { type: 'string', validate: isDate });
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
}
